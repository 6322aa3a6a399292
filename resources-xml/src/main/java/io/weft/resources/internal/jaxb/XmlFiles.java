package io.weft.resources.internal.jaxb;

import io.weft.resources.Project;
import io.weft.resources.Resources;
import io.weft.resources.ResourcesFileException;
import java.nio.file.Path;

/**
 * Entry point of this package for {@code io.weft.resources.ResourcesFiles}. Not API: use {@code
 * ResourcesFiles} or {@code Deployment.load}.
 */
public final class XmlFiles {
    private XmlFiles() {}

    /** Reads, validates and converts a {@code resources.xml}. */
    public static Resources readResources(Path file) throws ResourcesFileException {
        ResourcesXml.ResourcesList list = DocumentReader.read(file, FileKind.RESOURCES,
                ResourcesXml.ResourcesList.class);
        return new ResourcesConverter(file).convert(list);
    }

    /** Reads, validates and converts a {@code project.xml}. */
    public static Project readProject(Path file) throws ResourcesFileException {
        ProjectXml.Project project = DocumentReader.read(file, FileKind.PROJECT, ProjectXml.Project.class);
        return new ProjectConverter(file).convert(project);
    }
}
