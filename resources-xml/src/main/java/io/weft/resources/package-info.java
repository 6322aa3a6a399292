/**
 * Descriptions of the machines a run may use, as an immutable model: {@link io.weft.resources.Resources} (what
 * hardware exists: compute nodes, their processors, shared disks), {@link io.weft.resources.Project} (what this
 * run may use of it) and {@link io.weft.resources.Deployment} (the two paired). They are read from COMPSs-style
 * {@code resources.xml} and {@code project.xml} files by {@link io.weft.resources.ResourcesFiles}, validated
 * against the bundled {@code resources.xsd} and {@code project.xsd}; without files, {@link
 * io.weft.resources.LocalMachine} describes the machine the program runs on. The file format is documented in
 * {@code docs/resources-files.md}.
 */
package io.weft.resources;
