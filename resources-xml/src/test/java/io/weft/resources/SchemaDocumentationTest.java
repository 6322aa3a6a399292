package io.weft.resources;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** The bundled schemas document every element and attribute they declare. */
class SchemaDocumentationTest {
    @ParameterizedTest
    @ValueSource(strings = {"resources.xsd", "project.xsd"})
    void everyElementAndAttribute_hasDocumentation(String schema) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        List<String> undocumented = new ArrayList<>();
        try (InputStream in = ResourcesFiles.class.getResourceAsStream(schema)) {
            assertThat(in).as(schema + " on the class path").isNotNull();
            var document = factory.newDocumentBuilder().parse(in);
            for (String kind : List.of("element", "attribute")) {
                NodeList declarations = document.getElementsByTagNameNS(XMLConstants.W3C_XML_SCHEMA_NS_URI, kind);
                for (int i = 0; i < declarations.getLength(); i++) {
                    Element declaration = (Element) declarations.item(i);
                    if (!hasDocumentation(declaration)) {
                        undocumented.add(kind + " " + declaration.getAttribute("name")
                                + declaration.getAttribute("ref"));
                    }
                }
            }
        }
        assertThat(undocumented).as("declarations without xs:annotation/xs:documentation").isEmpty();
    }

    private static boolean hasDocumentation(Element declaration) {
        for (Node child = declaration.getFirstChild(); child != null; child = child.getNextSibling()) {
            if ("annotation".equals(child.getLocalName())) {
                return ((Element) child).getElementsByTagNameNS(XMLConstants.W3C_XML_SCHEMA_NS_URI,
                        "documentation").getLength() > 0;
            }
        }
        return false;
    }
}
