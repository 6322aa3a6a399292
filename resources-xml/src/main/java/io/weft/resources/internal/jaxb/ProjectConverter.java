package io.weft.resources.internal.jaxb;

import io.weft.resources.Launch;
import io.weft.resources.MasterNode;
import io.weft.resources.Project;
import io.weft.resources.ProjectNode;
import io.weft.resources.ResourcesFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks what a schema-valid {@code project.xml} means and builds the immutable {@link Project}: one master node,
 * node names unique and non-empty, required and single children, a positive LimitOfTasks, a usable ssh command.
 * Whether each node exists in the resources file is checked when the two are paired ({@code Deployment}).
 */
final class ProjectConverter {
    private static final Where ROOT = Where.root("Project");

    private final Checks checks;

    ProjectConverter(Path file) {
        this.checks = new Checks(file);
    }

    Project convert(ProjectXml.Project project) throws ResourcesFileException {
        ProjectXml.MasterNode master = checks.required(project.masterNodes, project, ROOT, "MasterNode",
                "add <MasterNode/> (it may be empty)");
        Map<String, ProjectXml.ComputeNode> seen = new LinkedHashMap<>();
        List<ProjectNode> nodes = new ArrayList<>();
        for (ProjectXml.ComputeNode node : project.computeNodes) {
            Where where = ROOT.child("ComputeNode", node.name);
            checks.name(node.name, node, where, "cpu1 (the Name of a compute node of the resources file)");
            ProjectXml.ComputeNode first = seen.putIfAbsent(node.name, node);
            if (first != null) {
                throw checks.at(node, where + ": duplicated project node '" + node.name + "'; the first "
                        + where.tag() + " is at " + first.position() + ". A node is listed once");
            }
            nodes.add(node(node, where));
        }
        return new Project(master(master, ROOT.child("MasterNode")), nodes);
    }

    private MasterNode master(ProjectXml.MasterNode master, Where where) throws ResourcesFileException {
        Text port = checks.single(master.port, where, "Port");
        return new MasterNode(checks.text(master.host, where, "Host"),
                port == null ? 0 : checks.port(port, where.child("Port"), 0, " (0: any free port)"));
    }

    private ProjectNode node(ProjectXml.ComputeNode node, Where where) throws ResourcesFileException {
        Path installDir = checks.directory(checks.required(node.installDir, node, where, "InstallDir",
                "where Weft is installed on the node, e.g. <InstallDir>/opt/weft</InstallDir>"),
                where.child("InstallDir"), "/opt/weft");
        Path workingDir = checks.directory(checks.required(node.workingDir, node, where, "WorkingDir",
                "a directory for the worker's files, e.g. <WorkingDir>/tmp/weft-work</WorkingDir>"),
                where.child("WorkingDir"), "/tmp/weft-work");
        ProjectXml.Application application = checks.single(node.application, where, "Application");
        Where app = where.child("Application");
        List<Text> none = List.of();
        return new ProjectNode(node.name,
                checks.text(node.host, where, "Host"),
                installDir,
                workingDir,
                checks.text(node.user, where, "User"),
                checks.text(application == null ? none : application.classpath, app, "Classpath"),
                checks.text(application == null ? none : application.libraryPath, app, "LibraryPath"),
                checks.text(application == null ? none : application.environmentScript, app, "EnvironmentScript"),
                limitOfTasks(checks.single(node.limitOfTasks, where, "LimitOfTasks"), where.child("LimitOfTasks")),
                launch(checks.single(node.launch, where, "Launch"), where.child("Launch")),
                node.line(),
                node.column());
    }

    private int limitOfTasks(Text limit, Where where) throws ResourcesFileException {
        if (limit == null) {
            return 0;
        }
        int tasks = checks.integer(limit);
        if (tasks <= 0) {
            throw checks.at(limit, where + ": found " + tasks
                    + "; expected a whole number of at least 1 (leave <LimitOfTasks> out to use every core)");
        }
        return tasks;
    }

    /** The schema makes sure a {@code <Launch>} has exactly one child. */
    private Launch launch(ProjectXml.Launch launch, Where where) throws ResourcesFileException {
        if (launch == null || launch.process != null) {
            return new Launch.Process();
        }
        if (launch.external != null) {
            String launcher = launch.external.launcher;
            return new Launch.External(launcher == null || launcher.isBlank() ? "external" : launcher.strip());
        }
        Text command = launch.ssh.command;
        if (command == null) {
            return new Launch.Ssh(Launch.Ssh.DEFAULT_COMMAND);
        }
        Where at = where.child("Ssh").child("Command");
        if (command.value().isEmpty()) {
            throw checks.at(command, at + " is empty; leave it out for the default, " + Launch.Ssh.DEFAULT_COMMAND);
        }
        if (!command.value().contains("{command}")) {
            throw checks.at(command, at + ": found '" + command.value() + "', which has no {command} placeholder;"
                    + " expected a template such as " + Launch.Ssh.DEFAULT_COMMAND);
        }
        return new Launch.Ssh(command.value());
    }
}
