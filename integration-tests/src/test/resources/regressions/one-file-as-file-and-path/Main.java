import io.weft.api.*;
import java.io.File;
import java.nio.file.*;
public class Main {
    @Task static void copy(File in, @Out Path out) throws Exception { String s = Files.readString(in.toPath()); Files.writeString(out, s + "+"); }
    public static void main(String[] a) throws Exception {
        Files.writeString(Path.of("t9.txt"), "x");
        copy(new File("t9.txt"), Path.of("t9.txt"));
        System.out.println(Files.readString(Path.of("t9.txt")));
    }
}
