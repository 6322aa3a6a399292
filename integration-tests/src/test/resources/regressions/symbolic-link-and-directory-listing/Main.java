import io.weft.api.*;
import java.nio.file.*;
public class Main {
    @Task static void write(@Out Path p, String s) throws Exception { Thread.sleep(200); Files.writeString(p, s); }
    @Task static void append(@InOut Path p, String s) throws Exception { Thread.sleep(200); Files.writeString(p, Files.readString(p) + s); }
    public static void main(String[] a) throws Exception {
        Path dir = Path.of("outdir");
        Files.createDirectories(dir);
        try (var s = Files.list(dir)) { s.forEach(f -> f.toFile().delete()); }
        write(dir.resolve("a.txt"), "A");
        try (var s = Files.list(dir)) { System.out.println("files in dir: " + s.count()); }
        // the same file through a symbolic link
        Path real = Path.of("real.txt"); Files.writeString(real, "");
        Path link = Path.of("link.txt"); Files.deleteIfExists(link); Files.createSymbolicLink(link, real.toAbsolutePath());
        append(real, "1");
        append(link, "2");
        System.out.println("content: " + Files.readString(real));
    }
}
