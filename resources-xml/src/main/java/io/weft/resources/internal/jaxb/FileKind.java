package io.weft.resources.internal.jaxb;

/** The two kinds of file, with their root element and bundled schema. */
enum FileKind {
    RESOURCES("ResourcesList", "resources file", "/io/weft/resources/resources.xsd"),
    PROJECT("Project", "project file", "/io/weft/resources/project.xsd");

    private final String rootElement;
    private final String description;
    private final String schemaResource;

    FileKind(String rootElement, String description, String schemaResource) {
        this.rootElement = rootElement;
        this.description = description;
        this.schemaResource = schemaResource;
    }

    /** The name of the root element, e.g. {@code ResourcesList}. */
    String rootElement() {
        return rootElement;
    }

    /** "resources file" or "project file". */
    String description() {
        return description;
    }

    /** The class path resource of its XSD. */
    String schemaResource() {
        return schemaResource;
    }

    /** The kind whose root element has that name, if any. */
    static FileKind withRoot(String element) {
        for (FileKind kind : values()) {
            if (kind.rootElement.equals(element)) {
                return kind;
            }
        }
        return null;
    }
}
