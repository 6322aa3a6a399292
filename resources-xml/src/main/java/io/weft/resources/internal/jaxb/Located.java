package io.weft.resources.internal.jaxb;

import jakarta.xml.bind.annotation.XmlTransient;
import org.glassfish.jaxb.core.annotation.XmlLocation;
import org.xml.sax.Locator;

/**
 * A bound element that knows where it was read, so that a semantic error can point at it. JAXB fills
 * {@link #locator} with the parser's position just after the element's start tag.
 */
@XmlTransient
abstract class Located {
    @XmlLocation
    @XmlTransient
    Locator locator;

    /** The element's line, from 1, or {@code 0} if unknown. */
    final int line() {
        return locator == null ? 0 : locator.getLineNumber();
    }

    /** The element's column, from 1, or {@code 0} if unknown. */
    final int column() {
        return locator == null ? 0 : locator.getColumnNumber();
    }

    /** "line 3, column 12", for messages that refer to another element. */
    final String position() {
        return "line " + line() + ", column " + column();
    }
}
