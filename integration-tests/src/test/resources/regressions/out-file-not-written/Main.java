import io.weft.api.*;
import java.nio.file.*;
public class Main {
    @Task static void read(Path p) throws Exception { Thread.sleep(300); System.out.println("read " + Files.readString(p)); }
    @Task static void reset(@Out Path p) throws Exception { Files.deleteIfExists(p); }   // "output: no file"
    public static void main(String[] a) throws Exception {
        Path p = Path.of("t16.txt");
        Files.writeString(p, "old");
        read(p);
        reset(p);
        System.out.println("exists=" + Files.exists(p));
    }
}
