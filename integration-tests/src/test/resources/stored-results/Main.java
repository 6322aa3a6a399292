import io.weft.api.Task;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Eight slow tasks whose results the program stores as it calls them, then reads: args[0] says where. */
public class Main {
    static final class Square {
        final int v;

        Square(int v) {
            this.v = v;
        }

        @Override
        public String toString() {
            return "Square(" + v + ")";
        }
    }

    @Task
    static Square square(int x) {
        pause(300);
        return new Square(x * x);
    }

    /** A result of a JDK class: storing it waits, or a list of them would print unfilled placeholders. */
    @Task
    static ArrayList<Integer> upTo(int n) {
        pause(30);
        ArrayList<Integer> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(i);
        }
        return l;
    }

    /** A result of interface type: a proxy, which waits for itself. */
    @Task
    static List<Integer> twice(int n) {
        pause(30);
        return List.of(n, n);
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void main(String[] args) {
        String how = args[0];
        List<Square> list = new ArrayList<>();
        Map<Integer, Square> map = new HashMap<>();
        Deque<Square> deque = new ArrayDeque<>();
        Square[] array = new Square[8];
        for (int i = 0; i < 8; i++) {
            switch (how) {
                case "list.add":
                    list.add(square(i));
                    break;
                case "list.set":
                    list.add(null);
                    list.set(i, square(i));
                    break;
                case "map.put":
                    map.put(i, square(i));
                    break;
                case "deque.offer":
                    deque.offer(square(i));
                    break;
                case "Collections.addAll":
                    Collections.addAll(list, square(i));
                    break;
                case "array":
                    array[i] = square(i);
                    break;
                default:
                    throw new IllegalArgumentException(how);
            }
        }
        List<Square> all = new ArrayList<>(list);
        all.addAll(map.values());
        all.addAll(deque);
        for (Square s : array) {
            if (s != null) {
                all.add(s);
            }
        }
        int sum = 0;
        for (Square s : all) {
            sum += s.v;
        }
        System.out.println(how + ": sum " + sum + " of " + all);
        List<List<Integer>> lists = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            lists.add(upTo(i));
            lists.add(twice(i));
        }
        System.out.println("lists " + lists);
    }
}
