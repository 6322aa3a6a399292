package io.weft.resources.internal.jaxb;

import io.weft.resources.internal.jaxb.ElementTracker.OpenElement;
import io.weft.resources.internal.jaxb.ElementTracker.Reported;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.xml.sax.SAXParseException;

/**
 * Turns what the XML parser and the schema validator report into plain words.
 *
 * <p>The validator (the JDK's Xerces) speaks in XML Schema rule codes: {@code cvc-complex-type.2.4.a: Invalid
 * content was found starting with element 'Procesor'. One of '{Processor, Memory, …}' is expected.} Each code
 * becomes a sentence that names the element the way {@link Where} does, says what was found and what is
 * accepted there, and for a misspelt element suggests the closest accepted name. The problems reported for one
 * SAX event are merged: a value that is not an integer gives {@code cvc-datatype-valid.1.2.1} (the value and the
 * type) then {@code cvc-type.3.1.3} (the element), which become one message.
 *
 * <p>Positions: a problem about an element points at it, just after its start tag, as the model's positions do;
 * a well-formedness problem points where the parser stopped.
 *
 * <p>Only the rule code, the quoted arguments and the braces of the expected list are read from the validator's
 * text; the element, its value and its context come from {@link ElementTracker}, so a localized JDK still gives
 * these English messages. Anything not recognized is passed on without its code.
 */
final class XmlMessages {
    private static final Pattern CODE = Pattern.compile("^(cvc-[A-Za-z0-9.\\-]+):\\s*");
    private static final Pattern QUOTED = Pattern.compile("'([^']*)'");
    private static final Pattern EXPECTED = Pattern.compile("\\{([^}]*)}");

    /** Attribute names the schemas know, for "did you mean". */
    private static final Set<String> ATTRIBUTES = Set.of("Name", "Node", "MountPoint", "Launcher");

    /** Elements of COMPSs files that Weft does not support. */
    private static final Set<String> COMPSS_ONLY = Set.of("DataNode", "Service", "Http", "CloudProvider",
            "ComputingCluster", "Cloud");

    private XmlMessages() {}

    /** The problem to report for what was reported during one SAX event (at least one). */
    static Problem describe(List<Reported> reported, FileKind kind) {
        Reported first = reported.get(0);
        if (first.fatal()) {
            return notWellFormed(first.error(), kind);
        }
        Reported main = reported.stream().min(Comparator.comparingInt(r -> priority(code(r)))).orElseThrow();
        List<OpenElement> open = main.open();
        if (open.isEmpty()) {
            return new Problem(line(main.error()), column(main.error()), withoutCode(main.error().getMessage()));
        }
        OpenElement target = open.get(open.size() - 1);
        Where where = where(open);
        return new Problem(target.line(), target.column(), sentence(main, reported, where, target));
    }

    private static String sentence(Reported main, List<Reported> all, Where where, OpenElement target) {
        String message = main.error().getMessage();
        List<String> args = quoted(message);
        String code = code(main);
        if (code.startsWith("cvc-complex-type.2.4.")) {
            return isIncomplete(code) ? incomplete(where, expected(message))
                    : unexpected(where, expected(message));
        }
        return switch (code) {
            case "cvc-complex-type.2.1" -> where + " must be empty" + found(target.text());
            case "cvc-complex-type.2.2" -> where + " may only contain text, not elements";
            case "cvc-complex-type.2.3" -> where + " may only contain elements, not text" + found(target.text());
            case "cvc-complex-type.3.2.2" -> unexpectedAttribute(where, arg(args, 0));
            case "cvc-complex-type.4" -> where + " has no " + arg(args, 0) + " attribute; it is required";
            case "cvc-type.3.1.3" -> where + ": found '" + target.text() + "'; it is not a valid value";
            default -> code.endsWith("-valid") || code.startsWith("cvc-datatype-valid")
                    ? invalidValue(code, args, all, where)
                    : where + ": " + withoutCode(message);
        };
    }

    /** Which of the problems of one event to describe: the one that says most. */
    private static int priority(String code) {
        if (code.equals("cvc-complex-type.3.2.2")) {
            return 0; // an unknown attribute explains a missing one (name="x" for Name="x")
        }
        if (code.endsWith("-valid") || code.startsWith("cvc-datatype-valid")) {
            return 1; // value and type; cvc-type.3.1.3 and cvc-attribute.3 only name the element
        }
        if (code.equals("cvc-type.3.1.3") || code.equals("cvc-attribute.3")) {
            return 3;
        }
        return 2;
    }

    private static boolean isIncomplete(String code) {
        return code.equals("cvc-complex-type.2.4.b") || code.equals("cvc-complex-type.2.4.h")
                || code.equals("cvc-complex-type.2.4.j");
    }

    private static String unexpected(Where where, List<String> expected) {
        String element = where.element();
        StringBuilder out = new StringBuilder("unexpected element <").append(element).append("> in ")
                .append(where.parent());
        if (COMPSS_ONLY.contains(element)) {
            out.append(" (COMPSs' <").append(element).append("> is not supported by Weft)");
        }
        out.append(expected.isEmpty() ? "; nothing more is accepted there" : "; expected " + tags(expected));
        if (!expected.contains(element)) {
            out.append(Suggestions.didYouMean(element, expected, "<", ">"));
        }
        return out.toString();
    }

    private static String incomplete(Where where, List<String> expected) {
        return where + " is incomplete: " + (expected.size() == 1
                ? "<" + expected.get(0) + "> is missing"
                : "expected " + tags(expected));
    }

    private static String unexpectedAttribute(Where where, String attribute) {
        return where + ": attribute " + attribute + " is not accepted"
                + Suggestions.didYouMean(attribute, ATTRIBUTES, "", "");
    }

    /**
     * A value its type refuses: {@code cvc-datatype-valid.1.2.1} ('v' is not a valid value for 'integer') or a
     * facet ({@code cvc-maxInclusive-valid}: value 'v' … maxInclusive 'limit' for type 'int'), merged with the
     * companion that names the attribute, if the value is an attribute's.
     */
    private static String invalidValue(String code, List<String> args, List<Reported> all, Where where) {
        String value = arg(args, 0);
        String expected;
        if (code.startsWith("cvc-datatype-valid")) {
            expected = typeWords(arg(args, 1));
        } else if (code.equals("cvc-maxInclusive-valid")) {
            expected = typeWords(arg(args, 2)) + " no larger than " + arg(args, 1);
        } else if (code.equals("cvc-minInclusive-valid")) {
            expected = typeWords(arg(args, 2)) + " no smaller than " + arg(args, 1);
        } else {
            expected = "a value allowed by the schema (" + withoutCode(all.get(0).error().getMessage()) + ")";
        }
        String subject = where.toString();
        for (Reported r : all) {
            if (code(r).equals("cvc-attribute.3")) {
                subject = "attribute " + arg(quoted(r.error().getMessage()), 1) + " of " + where;
            }
        }
        return subject + ": found '" + value + "'; expected " + expected;
    }

    private static String typeWords(String xsdType) {
        return switch (xsdType) {
            case "integer", "int", "long", "short" -> "a whole number";
            case "decimal", "float", "double" -> "a number";
            case "boolean" -> "true or false";
            default -> "a valid " + xsdType;
        };
    }

    private static Problem notWellFormed(SAXParseException e, FileKind kind) {
        String text = Bindings.isDoctypeRejection(e.getMessage())
                ? "DOCTYPE declarations are not allowed: a " + kind.description()
                        + " may not declare a DTD or entities, and external entities are never read"
                : "not well-formed XML: " + e.getMessage();
        return new Problem(line(e), column(e), text);
    }

    private static Where where(List<OpenElement> open) {
        List<Where.Step> steps = new ArrayList<>();
        for (OpenElement o : open) {
            steps.add(new Where.Step(o.element(), o.key(), o.value()));
        }
        return Where.of(steps);
    }

    private static String code(Reported r) {
        Matcher m = CODE.matcher(r.error().getMessage() == null ? "" : r.error().getMessage());
        return m.find() ? m.group(1) : "";
    }

    private static String withoutCode(String message) {
        return message == null ? "" : CODE.matcher(message).replaceFirst("");
    }

    private static List<String> quoted(String message) {
        List<String> args = new ArrayList<>();
        Matcher m = QUOTED.matcher(message == null ? "" : message);
        while (m.find()) {
            args.add(m.group(1));
        }
        return args;
    }

    private static String arg(List<String> args, int i) {
        return i < args.size() ? args.get(i) : "?";
    }

    /** The names in the braces of "One of '{A, B, WC[##any]}' is expected", without wildcards or namespaces. */
    private static List<String> expected(String message) {
        Matcher m = EXPECTED.matcher(message == null ? "" : message);
        List<String> names = new ArrayList<>();
        if (m.find()) {
            for (String item : m.group(1).split(",")) {
                String name = item.strip().replaceFirst("^\"[^\"]*\":", "");
                if (!name.isEmpty() && !name.startsWith("WC[") && !names.contains(name)) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    private static String tags(List<String> names) {
        List<String> tags = names.stream().map(n -> "<" + n + ">").collect(Collectors.toList());
        if (tags.size() == 1) {
            return tags.get(0);
        }
        return String.join(", ", tags.subList(0, tags.size() - 1)) + " or " + tags.get(tags.size() - 1);
    }

    private static String found(String text) {
        if (text.isEmpty()) {
            return "";
        }
        return "; found '" + (text.length() > 40 ? text.substring(0, 40) + "…" : text) + "'";
    }

    private static int line(SAXParseException e) {
        return Math.max(0, e.getLineNumber());
    }

    private static int column(SAXParseException e) {
        return Math.max(0, e.getColumnNumber());
    }
}
