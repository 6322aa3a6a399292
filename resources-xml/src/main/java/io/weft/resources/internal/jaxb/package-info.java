/**
 * Reading {@code resources.xml} and {@code project.xml} into the model of {@link io.weft.resources}: not API.
 *
 * <p>A file goes through one SAX pipeline: a secure, namespace-aware parser (no DTDs, no external entities), an
 * {@link io.weft.resources.internal.jaxb.ElementTracker} that remembers which elements are open and where, a
 * validator for the bundled XSD, and JAXB's {@link jakarta.xml.bind.UnmarshallerHandler} filling the hand-written
 * binding classes ({@link io.weft.resources.internal.jaxb.ResourcesXml}, {@link
 * io.weft.resources.internal.jaxb.ProjectXml}). The schema checks the shape of the file; the converters then check
 * what the values mean and build the immutable records. Every problem becomes a {@link
 * io.weft.resources.ResourcesFileException} pointing at a line and column.
 *
 * <p>Binding classes are package-private, bound field by field; every element records where it was read with
 * {@code @XmlLocation}.
 */
@XmlAccessorType(XmlAccessType.FIELD)
package io.weft.resources.internal.jaxb;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
