package io.weft.instrument;

import javassist.CannotCompileException;
import javassist.CtBehavior;
import javassist.CtClass;
import javassist.expr.ExprEditor;
import javassist.expr.MethodCall;

/**
 * Routes the ways application code starts a process — {@code ProcessBuilder.start()} and the
 * {@code Runtime.exec} family — through {@code Intercept}, so a process a task starts gets the environment that
 * confines it to the task's cores and devices ({@code CUDA_VISIBLE_DEVICES} and the like); and the ways it ends the
 * JVM ({@code System.exit}, {@code Runtime.exit}), so a worker process can tell its master first. Applied to every
 * method, the task-thread twins included; outside a task the calls behave exactly as written.
 */
final class ProcessStarts extends ExprEditor {
    private static final String INTERCEPT = "io.weft.api.spi.Intercept";

    private ProcessStarts() {}

    static void apply(CtClass type) throws CannotCompileException {
        ProcessStarts editor = new ProcessStarts();
        for (CtBehavior b : type.getDeclaredBehaviors()) {
            if (b.getMethodInfo2().getCodeAttribute() != null) {
                b.instrument(editor);
            }
        }
    }

    @Override
    public void edit(MethodCall call) throws CannotCompileException {
        String owner = call.getClassName();
        String name = call.getMethodName();
        String sig = call.getSignature();
        if (name.equals("exit") && sig.equals("(I)V") && owner.equals("java.lang.System")) {
            call.replace("{ " + INTERCEPT + "#exit($1); }");
        } else if (name.equals("exit") && sig.equals("(I)V") && owner.equals("java.lang.Runtime")) {
            call.replace("{ " + INTERCEPT + "#exit($0, $1); }");
        } else if (owner.equals("java.lang.ProcessBuilder") && name.equals("start")
                && sig.equals("()Ljava/lang/Process;")) {
            call.replace("{ $_ = " + INTERCEPT + "#startProcess($0); }");
        } else if (owner.equals("java.lang.Runtime") && name.equals("exec")) {
            String replacement = switch (sig) {
                case "(Ljava/lang/String;)Ljava/lang/Process;" -> "execCommand($0, $1, null, null)";
                case "(Ljava/lang/String;[Ljava/lang/String;)Ljava/lang/Process;" -> "execCommand($0, $1, $2, null)";
                case "(Ljava/lang/String;[Ljava/lang/String;Ljava/io/File;)Ljava/lang/Process;" ->
                        "execCommand($0, $1, $2, $3)";
                case "([Ljava/lang/String;)Ljava/lang/Process;" -> "exec($0, $1, null, null)";
                case "([Ljava/lang/String;[Ljava/lang/String;)Ljava/lang/Process;" -> "exec($0, $1, $2, null)";
                case "([Ljava/lang/String;[Ljava/lang/String;Ljava/io/File;)Ljava/lang/Process;" ->
                        "exec($0, $1, $2, $3)";
                default -> null;
            };
            if (replacement != null) {
                call.replace("{ $_ = " + INTERCEPT + "#" + replacement + "; }");
            }
        }
    }
}
