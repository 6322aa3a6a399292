import io.weft.api.InOut;
import io.weft.api.Out;
import io.weft.api.Task;
import io.weft.api.Weft;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The two programs above with their writes declared: the check finds nothing. */
public class Declared {
    static final class Sum {
        long total;
    }

    @Task
    static void add(@InOut Sum acc, int v) {
        acc.total += v;
    }

    @Task
    static void write(@Out Path file, int v) throws IOException {
        Files.writeString(file, "v=" + v);
    }

    public static void main(String[] args) throws IOException {
        Sum sum = new Sum();
        for (int i = 1; i <= 10; i++) {
            add(sum, i);
        }
        Weft.barrier();
        System.out.println("sum = " + sum.total);
        Path p = Path.of("sf.txt");
        write(p, 42);
        System.out.println(Files.exists(p) ? Files.readString(p) : "sf.txt does not exist yet");
    }
}
