/**
 * Descriptions of the machines a run may use. Today: the local machine describing itself, the default when no
 * resources file is given. The {@code resources.xml}/{@code project.xml} schemas and their validated, immutable
 * model will live here too.
 */
package io.weft.resources;
