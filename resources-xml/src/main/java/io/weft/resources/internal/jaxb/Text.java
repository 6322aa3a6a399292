package io.weft.resources.internal.jaxb;

import jakarta.xml.bind.annotation.XmlMixed;
import java.util.ArrayList;
import java.util.List;

/**
 * An element with text content only, with its position. (A class with {@code @XmlValue} would be bound as a
 * leaf and get no location, hence the mixed list; the schema has already made sure there are no child elements.)
 */
final class Text extends Located {
    @XmlMixed
    List<String> content = new ArrayList<>();

    /** The text without leading and trailing white space. */
    String value() {
        return String.join("", content).strip();
    }
}
