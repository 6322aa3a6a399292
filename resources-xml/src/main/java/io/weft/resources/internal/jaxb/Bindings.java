package io.weft.resources.internal.jaxb;

import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import org.glassfish.jaxb.runtime.v2.JAXBContextFactory;
import org.xml.sax.SAXException;
import org.xml.sax.XMLReader;

/**
 * The JAXB context and compiled schema of each kind of file, built once and shared (both are thread-safe), and
 * secure XML parsers.
 *
 * <p>The context comes from the JAXB runtime's factory directly, not through {@code JAXBContext.newInstance}: that
 * looks the implementation up with the ServiceLoader, which fails once the agent jar relocates JAXB's packages.
 * The schema and parser factories are the JDK's own ({@code newDefaultInstance}), so that whatever else is on the
 * class path, parsing behaves and reports the same way.
 */
final class Bindings {
    private static final String DISALLOW_DOCTYPE = "http://apache.org/xml/features/disallow-doctype-decl";
    private static final String EXTERNAL_GENERAL_ENTITIES = "http://xml.org/sax/features/external-general-entities";
    private static final String EXTERNAL_PARAMETER_ENTITIES =
            "http://xml.org/sax/features/external-parameter-entities";
    private static final String LOAD_EXTERNAL_DTD = "http://apache.org/xml/features/nonvalidating/load-external-dtd";

    private final JAXBContext context;
    private final Schema schema;

    private Bindings(JAXBContext context, Schema schema) {
        this.context = context;
        this.schema = schema;
    }

    /** Lazily built, once: the holder idiom. */
    private static final class ResourcesHolder {
        static final Bindings INSTANCE = load(FileKind.RESOURCES, ResourcesXml.ResourcesList.class);
    }

    /** Lazily built, once: the holder idiom. */
    private static final class ProjectHolder {
        static final Bindings INSTANCE = load(FileKind.PROJECT, ProjectXml.Project.class);
    }

    /** The bindings of that kind of file. */
    static Bindings of(FileKind kind) {
        return kind == FileKind.RESOURCES ? ResourcesHolder.INSTANCE : ProjectHolder.INSTANCE;
    }

    JAXBContext context() {
        return context;
    }

    Schema schema() {
        return schema;
    }

    private static Bindings load(FileKind kind, Class<?> root) {
        try {
            JAXBContext context = new JAXBContextFactory().createContext(new Class<?>[] {root}, Map.of());
            return new Bindings(context, compile(kind.schemaResource()));
        } catch (JAXBException | SAXException | IOException e) {
            throw new IllegalStateException("Weft's binding of " + kind.schemaResource() + " is broken: " + e, e);
        }
    }

    private static Schema compile(String resource) throws SAXException, IOException {
        URL url = Bindings.class.getResource(resource);
        if (url == null) {
            throw new IOException(resource + " is missing from the class path");
        }
        SchemaFactory factory = SchemaFactory.newDefaultInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        try (InputStream in = url.openStream()) {
            return factory.newSchema(new StreamSource(in, url.toExternalForm()));
        }
    }

    /**
     * A namespace-aware, non-validating SAX parser that rejects any DOCTYPE and never reads an external entity or
     * DTD: XML external entity (XXE) and entity-expansion attacks are impossible.
     */
    static XMLReader secureReader() throws SAXException {
        try {
            SAXParserFactory factory = SAXParserFactory.newDefaultInstance();
            factory.setNamespaceAware(true);
            factory.setValidating(false);
            factory.setXIncludeAware(false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature(DISALLOW_DOCTYPE, true);
            factory.setFeature(EXTERNAL_GENERAL_ENTITIES, false);
            factory.setFeature(EXTERNAL_PARAMETER_ENTITIES, false);
            factory.setFeature(LOAD_EXTERNAL_DTD, false);
            XMLReader reader = factory.newSAXParser().getXMLReader();
            reader.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            reader.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            return reader;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser cannot be configured securely: " + e, e);
        }
    }

    /** Whether a parser's message is the one {@link #secureReader()} gives for a DOCTYPE. */
    static boolean isDoctypeRejection(String message) {
        return message != null && message.contains(DISALLOW_DOCTYPE);
    }
}
