package io.weft.resources.internal.jaxb;

import io.weft.resources.ResourcesFileException;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.Unmarshaller;
import jakarta.xml.bind.UnmarshallerHandler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import javax.xml.XMLConstants;
import javax.xml.validation.ValidatorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.XMLReader;

/**
 * Reads a file into its binding classes, checking on the way that it is readable, well-formed XML and valid
 * against its schema.
 *
 * <p>The pipeline is parser → {@link ElementTracker} → schema {@link ValidatorHandler} → JAXB's
 * {@link UnmarshallerHandler}. Validating in a stage of our own (rather than giving the Schema to the
 * Unmarshaller, which then builds its validator internally) lets us lock that validator down like the parser and
 * see its problems as they happen, next to the elements they concern.
 */
final class DocumentReader {
    /** The largest file read: 32 MiB. */
    static final long MAX_BYTES = 32L << 20;

    private DocumentReader() {}

    /**
     * The file's root element, bound.
     *
     * @param type the binding class of the root element of that kind of file
     * @throws ResourcesFileException if the file cannot be read, is empty, not well-formed or not valid
     */
    static <T> T read(Path file, FileKind kind, Class<T> type) throws ResourcesFileException {
        byte[] bytes = bytes(file, kind);
        ElementTracker tracker = new ElementTracker(kind);
        Object result;
        try {
            UnmarshallerHandler unmarshaller = unmarshaller(kind, tracker);
            ValidatorHandler validator = validator(kind, tracker);
            validator.setContentHandler(unmarshaller);
            tracker.setContentHandler(validator);
            XMLReader reader = Bindings.secureReader();
            reader.setContentHandler(tracker);
            reader.setErrorHandler(tracker);
            InputSource input = new InputSource(new ByteArrayInputStream(bytes));
            input.setSystemId(file.toAbsolutePath().toUri().toString());
            reader.parse(input);
            throwIfReported(file, kind, tracker);
            result = unmarshaller.getResult();
        } catch (SAXException e) {
            throwIfReported(file, kind, tracker);
            throw new ResourcesFileException(file, 0, 0, "cannot be read as XML: " + e.getMessage());
        } catch (IOException e) {
            throw new ResourcesFileException(file, 0, 0, "cannot be read: " + e);
        } catch (JAXBException e) {
            throw new IllegalStateException("Weft's JAXB binding is broken: " + e, e);
        }
        return type.cast(result);
    }

    private static void throwIfReported(Path file, FileKind kind, ElementTracker tracker)
            throws ResourcesFileException {
        if (tracker.wrongRoot() != null) {
            throw tracker.wrongRoot().in(file);
        }
        if (!tracker.reported().isEmpty()) {
            throw XmlMessages.describe(tracker.reported(), kind).in(file);
        }
    }

    private static UnmarshallerHandler unmarshaller(FileKind kind, ElementTracker tracker) throws JAXBException {
        Unmarshaller unmarshaller = Bindings.of(kind).context().createUnmarshaller();
        unmarshaller.setEventHandler(tracker);
        return unmarshaller.getUnmarshallerHandler();
    }

    private static ValidatorHandler validator(FileKind kind, ElementTracker tracker) throws SAXException {
        ValidatorHandler validator = Bindings.of(kind).schema().newValidatorHandler();
        validator.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        validator.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        validator.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        validator.setErrorHandler(tracker);
        return validator;
    }

    /** The file's bytes; a file that is missing, unreadable or empty is a problem of the whole file (0:0). */
    private static byte[] bytes(Path file, FileKind kind) throws ResourcesFileException {
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) {
                throw new ResourcesFileException(file, 0, 0, "is a directory; expected a " + kind.description());
            }
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                // Read and bound, a file this big would take gigabytes of heap before its first error was seen.
                throw new ResourcesFileException(file, 0, 0, "is " + (size >> 20) + " MiB; a " + kind.description()
                        + " may have at most " + (MAX_BYTES >> 20) + " MiB (some 80,000 nodes)");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ResourcesFileException(file, 0, 0, "no such file; expected a " + kind.description()
                    + (file.isAbsolute() ? "" : " (relative to " + Path.of("").toAbsolutePath() + ")"));
        } catch (AccessDeniedException e) {
            throw new ResourcesFileException(file, 0, 0, "cannot be read: permission denied");
        } catch (IOException e) {
            throw new ResourcesFileException(file, 0, 0, "cannot be read: " + e);
        }
        if (isBlank(bytes)) {
            throw new ResourcesFileException(file, 0, 0, "the file is empty; a " + kind.description()
                    + " starts with <" + kind.rootElement() + ">");
        }
        return bytes;
    }

    /** Whether the bytes are only white space, perhaps after a UTF-8 byte order mark. */
    private static boolean isBlank(byte[] bytes) {
        int start = bytes.length >= 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF
                ? 3 : 0;
        for (int i = start; i < bytes.length; i++) {
            if (bytes[i] != ' ' && bytes[i] != '\t' && bytes[i] != '\r' && bytes[i] != '\n') {
                return false;
            }
        }
        return true;
    }
}
