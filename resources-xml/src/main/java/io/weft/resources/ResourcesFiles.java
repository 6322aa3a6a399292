package io.weft.resources;

import io.weft.resources.internal.jaxb.XmlFiles;
import java.nio.file.Path;

/**
 * Reads resources and project files: the XML, then its schema ({@code resources.xsd}, {@code project.xsd},
 * bundled in this package), then the checks of what the values mean, into the immutable model. Every problem is
 * a {@link ResourcesFileException} whose message starts with {@code file:line:column:}. To read both files and
 * pair their nodes, use {@link Deployment#load}.
 */
public final class ResourcesFiles {
    private ResourcesFiles() {}

    /**
     * Reads a {@code resources.xml}: what hardware exists.
     *
     * @throws ResourcesFileException if the file cannot be read, is not well-formed, does not follow the schema,
     *     or is inconsistent (unknown architecture, duplicated node name, undeclared shared disk…)
     */
    public static Resources readResources(Path file) throws ResourcesFileException {
        return XmlFiles.readResources(file);
    }

    /**
     * Reads a {@code project.xml}: what this run may use. Whether its nodes exist in the resources file is
     * checked by {@link Deployment#load}.
     *
     * @throws ResourcesFileException if the file cannot be read, is not well-formed, does not follow the schema,
     *     or is inconsistent (no master node, duplicated node, LimitOfTasks below 1…)
     */
    public static Project readProject(Path file) throws ResourcesFileException {
        return XmlFiles.readProject(file);
    }
}
