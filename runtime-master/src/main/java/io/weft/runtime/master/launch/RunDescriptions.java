package io.weft.runtime.master.launch;

import io.weft.log.Log;
import io.weft.resources.Deployment;
import io.weft.resources.DescriptionFiles;
import io.weft.runtime.master.config.RunFolder;
import io.weft.runtime.master.config.RuntimeConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Keeps in the run folder the resources and project descriptions a run used, so that it can be told apart from the
 * next and run again as it was: a copy of each file given, or, for nodes made up for the run (this machine; a
 * {@code workers=N} local cluster), the description written out, which {@code resources=} and {@code project=}
 * accept. A run whose nodes are all served in the program's process has no project, and none is written.
 * Stateless.
 */
final class RunDescriptions {
    private static final Log LOG = Log.of(RunDescriptions.class);

    private RunDescriptions() {}

    /**
     * Writes {@code resources.xml} and, if the run has one, {@code project.xml} into the configuration's run folder.
     * A problem is a warning: the run goes on without them.
     *
     * @param deployment the nodes the run uses
     * @param installDir the folder of the run's Weft jar, for a made-up project
     */
    static void keep(RuntimeConfig config, Deployment deployment, Path installDir) {
        Path folder = config.runFolder();
        String made = "made up by Weft for this run; give it back with ";
        try {
            if (config.resources() != null) {
                Files.copy(config.resources(), RunFolder.resources(folder), StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.writeString(RunFolder.resources(folder), DescriptionFiles.resourcesXml(deployment.resources(),
                        "The nodes " + made + "resources=resources.xml"
                                + (config.workers() > 0 ? ",project=project.xml" : "")), StandardCharsets.UTF_8);
            }
            if (config.project() != null) {
                Files.copy(config.project(), RunFolder.project(folder), StandardCopyOption.REPLACE_EXISTING);
            } else if (config.workers() > 0) {
                Files.writeString(RunFolder.project(folder), DescriptionFiles.projectXml(deployment.project(),
                        installDir, "The project " + made + "resources=resources.xml,project=project.xml"),
                        StandardCharsets.UTF_8);
            }
            LOG.info("the run's nodes: " + deployment.workers().size() + ", described in " + folder);
        } catch (IOException | RuntimeException e) {
            LOG.warn("weft: warning: cannot keep the run's resources and project in " + folder + ": " + e);
        }
    }
}
