package io.weft.resources.internal.jaxb;

import jakarta.xml.bind.ValidationEvent;
import jakarta.xml.bind.ValidationEventHandler;
import jakarta.xml.bind.ValidationEventLocator;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import org.xml.sax.Attributes;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.XMLFilterImpl;

/**
 * The first stage after the parser: passes every SAX event on, and meanwhile remembers which elements are open,
 * where each started, its identifying attribute and its text. It is also the error handler of the parser and of
 * the validator after it, and the event handler of JAXB: a problem is recorded with the elements open at that
 * moment, so that the message can name them ({@link XmlMessages}).
 *
 * <p>The validator may report several problems for one SAX event (for {@code <ComputingUnits>abc</ComputingUnits>},
 * one that {@code abc} is not an integer and one that the element is not valid). They are all recorded; once the
 * event has gone through, parsing stops with {@link Stop}, so the problems of one event are read together and no
 * later problem follows from the first.
 *
 * <p>It also checks the root element, before the schema does, to say plainly when a project file was given as a
 * resources file or the other way round.
 */
final class ElementTracker extends XMLFilterImpl implements ValidationEventHandler {
    /** Longest text remembered per element: enough to quote a value in a message. */
    private static final int MAX_TEXT = 200;

    /**
     * An open element, as it was when a problem was reported.
     *
     * @param element its name
     * @param key its identifying attribute ({@code Name}, or {@code Node} for MountedOn), or {@code null}
     * @param value that attribute's value, or {@code null}
     * @param line the line just after its start tag
     * @param column the column there
     * @param text its text content so far, without surrounding white space
     */
    record OpenElement(String element, String key, String value, int line, int column, String text) {}

    /**
     * A problem the parser, the validator or JAXB reported.
     *
     * @param error what they said, with their position
     * @param fatal whether the XML is not well-formed
     * @param open the elements open at that moment, outermost first
     */
    record Reported(SAXParseException error, boolean fatal, List<OpenElement> open) {}

    /** Thrown to stop parsing once the event that caused a problem has gone through. */
    static final class Stop extends SAXException {
        private static final long serialVersionUID = 1L;

        Stop() {
            super("stopped at the first problem");
        }
    }

    private static final class Open {
        final String element;
        final String key;
        final String value;
        final int line;
        final int column;
        final StringBuilder text = new StringBuilder();

        Open(String element, String key, String value, int line, int column) {
            this.element = element;
            this.key = key;
            this.value = value;
            this.line = line;
            this.column = column;
        }
    }

    private final FileKind kind;
    private final Deque<Open> open = new ArrayDeque<>();
    private final List<Reported> reported = new ArrayList<>();
    private Locator locator;
    private Problem wrongRoot;
    private boolean rootSeen;

    ElementTracker(FileKind kind) {
        this.kind = kind;
    }

    /** What was reported, in order; empty if nothing went wrong. */
    List<Reported> reported() {
        return reported;
    }

    /** The problem with the root element, or {@code null}. */
    Problem wrongRoot() {
        return wrongRoot;
    }

    /** Whether the parser got as far as the root element. */
    boolean rootSeen() {
        return rootSeen;
    }

    // ---- content: track, pass on, stop if that caused a problem ----

    @Override
    public void setDocumentLocator(Locator locator) {
        this.locator = locator;
        super.setDocumentLocator(locator);
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes atts) throws SAXException {
        if (!rootSeen) {
            rootSeen = true;
            checkRoot(uri, localName);
        }
        String key = "MountedOn".equals(localName) ? "Node" : "Name";
        open.push(new Open(localName, key, atts.getValue("", key), line(), column()));
        super.startElement(uri, localName, qName, atts);
        stopIfReported();
    }

    @Override
    public void endElement(String uri, String localName, String qName) throws SAXException {
        super.endElement(uri, localName, qName);
        stopIfReported();
        open.pop();
    }

    @Override
    public void characters(char[] ch, int start, int length) throws SAXException {
        Open current = open.peek();
        if (current != null && current.text.length() < MAX_TEXT) {
            current.text.append(ch, start, Math.min(length, MAX_TEXT - current.text.length()));
        }
        super.characters(ch, start, length);
        stopIfReported();
    }

    @Override
    public void ignorableWhitespace(char[] ch, int start, int length) throws SAXException {
        super.ignorableWhitespace(ch, start, length);
        stopIfReported();
    }

    @Override
    public void endDocument() throws SAXException {
        super.endDocument();
        stopIfReported();
    }

    // ---- problems ----

    /** Nothing the parser or the validator only warns about matters here. */
    @Override
    public void warning(SAXParseException e) {}

    @Override
    public void error(SAXParseException e) {
        reported.add(new Reported(e, false, snapshot()));
    }

    @Override
    public void fatalError(SAXParseException e) throws SAXException {
        reported.add(new Reported(e, true, snapshot()));
        throw e;
    }

    /** JAXB's events: after the schema, none are expected; any is reported like a schema problem. */
    @Override
    public boolean handleEvent(ValidationEvent event) {
        ValidationEventLocator at = event.getLocator();
        int line = at == null ? line() : at.getLineNumber();
        int column = at == null ? column() : at.getColumnNumber();
        reported.add(new Reported(new SAXParseException(event.getMessage(), null, null, line, column), false,
                snapshot()));
        return true;
    }

    private void stopIfReported() throws SAXException {
        if (!reported.isEmpty()) {
            throw new Stop();
        }
    }

    private void checkRoot(String uri, String localName) throws SAXException {
        String expected = "<" + kind.rootElement() + ">";
        if (!uri.isEmpty()) {
            wrongRoot = new Problem(line(), column(), "<" + localName + "> is in the XML namespace '" + uri
                    + "'; a " + kind.description() + " uses no namespace: remove the xmlns attribute");
        } else if (!localName.equals(kind.rootElement())) {
            FileKind other = FileKind.withRoot(localName);
            wrongRoot = new Problem(line(), column(), other != null
                    ? "this is a " + other.description() + " (root element <" + localName + ">), not a "
                            + kind.description() + "; a " + kind.description() + " starts with " + expected
                    : "found root element <" + localName + ">; a " + kind.description() + " starts with "
                            + expected + Suggestions.didYouMean(localName, List.of(kind.rootElement()), "<", ">"));
        }
        if (wrongRoot != null) {
            throw new Stop();
        }
    }

    private List<OpenElement> snapshot() {
        List<OpenElement> elements = new ArrayList<>();
        for (Iterator<Open> it = open.descendingIterator(); it.hasNext(); ) {
            Open o = it.next();
            elements.add(new OpenElement(o.element, o.value == null ? null : o.key, o.value, o.line, o.column,
                    o.text.toString().strip()));
        }
        return elements;
    }

    private int line() {
        return locator == null ? 0 : locator.getLineNumber();
    }

    private int column() {
        return locator == null ? 0 : locator.getColumnNumber();
    }
}
