package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A wrong declaration stops the program at class load with a message naming the class, the method and the
 * parameter, instead of running it in a wrong mode; so does a wrong agent option.
 */
class BadDeclarationsIT {
    private static ChildJvm.Result runWithAgent(String source, String agentArgs) throws Exception {
        Path classes = SourcePrograms.compile(Map.of("bad/Main.java", source), "17");
        return ChildJvm.withAgent().agentArgs(agentArgs).classPath(classes).run("bad.Main");
    }

    @Test
    void outOnInt_isRejectedNamingClassMethodAndParameter() throws Exception {
        ChildJvm.Result r = runWithAgent("""
                package bad;
                import io.weft.api.*;
                public class Main {
                    @Task static void count(@Out int total) {}
                    public static void main(String[] a) { count(1); System.out.println("ran"); }
                }
                """, null);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stdout()).doesNotContain("ran");
        assertThat(r.stderr()).contains("weft: error", "@Out cannot hold on parameter 1 'total' (int)",
                "bad.Main.count");
    }

    @Test
    void inOutOnString_isRejected() throws Exception {
        ChildJvm.Result r = runWithAgent("""
                package bad;
                import io.weft.api.*;
                public class Main {
                    @Task static void greet(@InOut String name) {}
                    public static void main(String[] a) { greet("x"); }
                }
                """, null);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("@InOut cannot hold on parameter 1 'name' (java.lang.String)");
    }

    @Test
    void malformedTimeoutAndNegativeRetries_areRejectedAtClassLoad_namingTheMethod() throws Exception {
        ChildJvm.Result banana = runWithAgent("""
                package bad;
                import io.weft.api.*;
                public class Main {
                    @Task(timeout = "banana") static void work(@InOut StringBuilder sb) { sb.append('x'); }
                    public static void main(String[] a) { work(new StringBuilder()); System.out.println("ran"); }
                }
                """, null);
        assertThat(banana.exitCode()).as("%s", banana).isEqualTo(2);
        assertThat(banana.stdout()).doesNotContain("ran");
        assertThat(banana.stderr()).contains("@Task(timeout = \"banana\") on bad.Main.work", "\"30s\"");
        ChildJvm.Result negative = runWithAgent("""
                package bad;
                import io.weft.api.*;
                public class Main {
                    @Task(retries = -1, timeout = "1m30s") static void work(@InOut StringBuilder sb) { }
                    public static void main(String[] a) { work(new StringBuilder()); System.out.println("ran"); }
                }
                """, null);
        assertThat(negative.exitCode()).as("%s", negative).isEqualTo(2);
        assertThat(negative.stderr()).contains("@Task(retries = -1) on bad.Main.work", "0 or more");
    }

    @Test
    void directionOnMethodThatIsNotATask_isRejected() throws Exception {
        ChildJvm.Result r = runWithAgent("""
                package bad;
                import io.weft.api.*;
                public class Main {
                    static void fill(@InOut StringBuilder sb) { sb.append('x'); }
                    public static void main(String[] a) { fill(new StringBuilder()); System.out.println("ran"); }
                }
                """, null);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stdout()).doesNotContain("ran");
        assertThat(r.stderr()).contains("@InOut on parameter 1 'sb' (java.lang.StringBuilder)", "bad.Main.fill",
                "which is not a @Task");
    }

    @Test
    void wrongDeclarationInAnotherClass_stopsWhenThatClassLoads() throws Exception {
        Path classes = SourcePrograms.compile(Map.of(
                "bad/Main.java", """
                        package bad;
                        public class Main {
                            public static void main(String[] a) { System.out.println("before"); Lib.go(); }
                        }
                        """,
                "bad/Lib.java", """
                        package bad;
                        import io.weft.api.*;
                        class Lib {
                            @Task static void twice(@In @Out java.util.List<String> l) {}
                            static void go() { twice(new java.util.ArrayList<>()); }
                        }
                        """), "17");
        ChildJvm.Result r = ChildJvm.withAgent().classPath(classes).run("bad.Main");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("bad.Lib.twice", "more than one direction (@In, @Out)");
    }

    @Test
    void unknownAgentOption_suggestsTheClosestOne() throws Exception {
        ChildJvm.Result r = runWithAgent("""
                package bad;
                public class Main { public static void main(String[] a) { System.out.println("ran"); } }
                """, "thread=4");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stdout()).doesNotContain("ran");
        assertThat(r.stderr()).contains("unknown option 'thread'", "did you mean 'threads'?");
    }

    @Test
    void badOptionValue_namesWhatIsAccepted() throws Exception {
        ChildJvm.Result r = runWithAgent("""
                package bad;
                public class Main { public static void main(String[] a) { System.out.println("ran"); } }
                """, "scheduler=random");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("scheduler=random", "expected one of locality, critical, fifo, lifo");
    }
}
