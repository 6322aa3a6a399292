package io.weft.launcher;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

/**
 * The program to run: its main class and class path, from {@code <main class>} or {@code -jar app.jar}, checked
 * before any JVM starts so that a mistyped name is named at once. Immutable.
 *
 * @param mainClass the binary name of the entry class
 * @param classPath the class path entries, absolute, in order
 */
record Program(String mainClass, List<String> classPath) {

    /**
     * The program the words after the options name: with {@code -jar}, the first word is the jar (its manifest's
     * {@code Main-Class} runs), else it is the main class, on the class path {@code classPath}.
     */
    static Program of(boolean jarMode, List<String> words, String classPath) {
        if (words.isEmpty()) {
            return of(null, null, classPath);
        }
        return jarMode ? of(Path.of(words.get(0)), null, classPath) : of(null, words.get(0), classPath);
    }

    /** The program's own arguments: the words after the jar or the main class. */
    static List<String> arguments(List<String> words) {
        return words.isEmpty() ? List.of() : words.subList(1, words.size());
    }

    private static Program of(Path jar, String mainClass, String classPath) {
        List<String> entries = new ArrayList<>();
        if (jar != null) {
            Path j = RunOptions.existing(jar, "-jar");
            entries.add(j.toString());
            mainClass = manifestMain(j);
        }
        for (String e : classPath.split(File.pathSeparator)) {
            if (!e.isEmpty()) {
                entries.add(e.endsWith("*") ? e : Path.of(e).toAbsolutePath().normalize().toString());
            }
        }
        if (mainClass == null) {
            throw new LauncherException("no program to run: give a main class (weft run -cp app.jar com.acme.Main)"
                    + " or a jar (weft run -jar app.jar)");
        }
        String name = mainClass.replace('/', '.');
        if (!name.matches("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}.$]*")) {
            throw new LauncherException("'" + mainClass + "' is not a class name; options go before the main"
                    + " class (weft run [options] <main class> [arguments])");
        }
        Program p = new Program(name, List.copyOf(entries));
        p.requireMainClass();
        return p;
    }

    /** The class path as one string for {@code -cp}, with {@code extra} at its end. */
    String classPath(Path extra) {
        List<String> all = new ArrayList<>(classPath);
        all.add(extra.toString());
        return String.join(File.pathSeparator, all);
    }

    /** The simple name of the main class, for run folders and job names. */
    String shortName() {
        return mainClass.substring(mainClass.lastIndexOf('.') + 1).replace('$', '-');
    }

    private static String manifestMain(Path jar) {
        try (JarFile f = new JarFile(jar.toFile())) {
            Manifest m = f.getManifest();
            String main = m == null ? null : m.getMainAttributes().getValue("Main-Class");
            if (main == null || main.isBlank()) {
                throw new LauncherException(jar + " has no Main-Class in its manifest: name the main class instead"
                        + " (weft run -cp " + jar + " com.acme.Main)");
            }
            return main.trim();
        } catch (IOException e) {
            throw new LauncherException("-jar " + jar + ": not a jar file (" + e.getMessage() + ")");
        }
    }

    private void requireMainClass() {
        String file = mainClass.replace('.', '/') + ".class";
        List<String> seen = new ArrayList<>();
        for (Path entry : expanded()) {
            if (Files.isDirectory(entry)) {
                if (Files.isRegularFile(entry.resolve(file))) {
                    return;
                }
            } else if (Files.isRegularFile(entry)) {
                try (JarFile jar = new JarFile(entry.toFile())) {
                    if (jar.getEntry(file) != null) {
                        return;
                    }
                } catch (IOException e) {
                    // Not a jar: java ignores it too.
                }
            } else {
                seen.add(entry.toString());
            }
        }
        String closest = closestClass();
        throw new LauncherException("main class " + mainClass + " not found on the class path "
                + String.join(File.pathSeparator, classPath)
                + (closest != null ? "; did you mean " + closest + "?" : "")
                + (seen.isEmpty() ? "" : " (missing: " + String.join(", ", seen) + ")"));
    }

    /** The class path's files and folders, with {@code dir/*} expanded to the jars in it. */
    private List<Path> expanded() {
        List<Path> out = new ArrayList<>();
        for (String e : classPath) {
            if (e.endsWith("*")) {
                Path dir = Path.of(e.substring(0, e.length() - 1)).toAbsolutePath();
                try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, "*.{jar,JAR}")) {
                    jars.forEach(out::add);
                } catch (IOException ex) {
                    // A wildcard over nothing: java ignores it too.
                }
            } else {
                out.add(Path.of(e));
            }
        }
        return out;
    }

    /** The class on the class path whose name is closest to the one asked for, within a few edits. */
    private String closestClass() {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        int scanned = 0;
        for (String candidate : classNames()) {
            if (++scanned > 50_000) {
                break;
            }
            int d = distance(mainClass.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return bestDistance <= Math.max(2, mainClass.length() / 4) ? best : null;
    }

    private List<String> classNames() {
        List<String> names = new ArrayList<>();
        for (Path entry : expanded()) {
            if (Files.isDirectory(entry)) {
                try (Stream<Path> files = Files.walk(entry, 12)) {
                    files.filter(f -> f.toString().endsWith(".class")).limit(50_000)
                            .forEach(f -> names.add(className(entry.relativize(f).toString())));
                } catch (IOException | RuntimeException e) {
                    // Unreadable: no suggestion from it.
                }
            } else if (Files.isRegularFile(entry)) {
                try (JarFile jar = new JarFile(entry.toFile())) {
                    Enumeration<? extends ZipEntry> all = jar.entries();
                    while (all.hasMoreElements() && names.size() < 50_000) {
                        String n = all.nextElement().getName();
                        if (n.endsWith(".class") && !n.startsWith("META-INF/")) {
                            names.add(className(n));
                        }
                    }
                } catch (IOException e) {
                    // Not a jar.
                }
            }
        }
        return names;
    }

    private static String className(String file) {
        return file.substring(0, file.length() - ".class".length()).replace(File.separatorChar, '.').replace('/', '.');
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
