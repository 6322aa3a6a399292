import io.weft.api.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A task writes a file whose name it gets as a String: the program reads it before the task wrote it. */
public class NamedFile {
    @Task
    static void write(String name, int v) throws IOException, InterruptedException {
        Thread.sleep(300);
        Files.writeString(Path.of(name), "v=" + v);
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        write("sf.txt", 42);
        Path p = Path.of("sf.txt");
        System.out.println(Files.exists(p) ? Files.readString(p) : "sf.txt does not exist yet");
    }
}
