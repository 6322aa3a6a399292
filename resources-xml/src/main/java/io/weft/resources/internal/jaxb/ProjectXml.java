package io.weft.resources.internal.jaxb;

import jakarta.xml.bind.annotation.XmlAnyElement;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlRootElement;
import java.util.ArrayList;
import java.util.List;

/**
 * The JAXB binding of {@code project.xsd}: one class per complex element, as the file has it. Children that may
 * come in any order are lists; which are required or single is checked by {@link ProjectConverter}. Content kept
 * only for COMPSs compatibility lands in {@code ignored}.
 */
final class ProjectXml {
    private ProjectXml() {}

    /** {@code <Project>}. */
    @XmlRootElement(name = "Project")
    static final class Project extends Located {
        @XmlElement(name = "MasterNode")
        List<MasterNode> masterNodes = new ArrayList<>();

        @XmlElement(name = "ComputeNode")
        List<ComputeNode> computeNodes = new ArrayList<>();
    }

    /** {@code <MasterNode>}. */
    static final class MasterNode extends Located {
        @XmlElement(name = "Host")
        List<Text> host = new ArrayList<>();

        @XmlElement(name = "Port")
        List<Text> port = new ArrayList<>();

        /** COMPSs' description of the master's hardware. */
        @XmlAnyElement
        List<Object> ignored = new ArrayList<>();
    }

    /** {@code <ComputeNode Name>}. */
    static final class ComputeNode extends Located {
        @XmlAttribute(name = "Name")
        String name;

        @XmlElement(name = "InstallDir")
        List<Text> installDir = new ArrayList<>();

        @XmlElement(name = "WorkingDir")
        List<Text> workingDir = new ArrayList<>();

        @XmlElement(name = "Host")
        List<Text> host = new ArrayList<>();

        @XmlElement(name = "User")
        List<Text> user = new ArrayList<>();

        @XmlElement(name = "Application")
        List<Application> application = new ArrayList<>();

        @XmlElement(name = "LimitOfTasks")
        List<Text> limitOfTasks = new ArrayList<>();

        @XmlElement(name = "Launch")
        List<Launch> launch = new ArrayList<>();

        /** COMPSs' {@code <Adaptors>}. */
        @XmlAnyElement
        List<Object> ignored = new ArrayList<>();
    }

    /** {@code <Application>}. */
    static final class Application extends Located {
        @XmlElement(name = "Classpath")
        List<Text> classpath = new ArrayList<>();

        @XmlElement(name = "LibraryPath")
        List<Text> libraryPath = new ArrayList<>();

        @XmlElement(name = "EnvironmentScript")
        List<Text> environmentScript = new ArrayList<>();

        /** COMPSs' {@code <AppDir>}, {@code <Pythonpath>}, {@code <PythonInterpreter>}. */
        @XmlAnyElement
        List<Object> ignored = new ArrayList<>();
    }

    /** {@code <Launch>}: exactly one of its fields is set (the schema says so). */
    static final class Launch extends Located {
        @XmlElement(name = "Process")
        Process process;

        @XmlElement(name = "Ssh")
        Ssh ssh;

        @XmlElement(name = "External")
        External external;
    }

    /** {@code <Process/>}. */
    static final class Process extends Located {}

    /** {@code <Ssh>}. */
    static final class Ssh extends Located {
        @XmlElement(name = "Command")
        Text command;
    }

    /** {@code <External Launcher/>}. */
    static final class External extends Located {
        @XmlAttribute(name = "Launcher")
        String launcher;
    }
}
