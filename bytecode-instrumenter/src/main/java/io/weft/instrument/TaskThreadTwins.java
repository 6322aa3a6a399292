package io.weft.instrument;

import java.util.ArrayList;
import java.util.List;
import javassist.CannotCompileException;
import javassist.CtBehavior;
import javassist.CtClass;
import javassist.CtMethod;
import javassist.CtNewMethod;
import javassist.Modifier;
import javassist.NotFoundException;
import javassist.bytecode.AccessFlag;
import javassist.bytecode.AnnotationsAttribute;
import javassist.bytecode.MethodInfo;
import javassist.bytecode.ParameterAnnotationsAttribute;

/**
 * Keeps task code as fast as the original. Every instrumented method gets an untouched twin, and the instrumented
 * version starts with "on a task thread? run the twin". Task code never waits for data (it was given its inputs),
 * so on an executor thread the checks before each array element, field and call would be pure cost — several
 * times the work of a tight numeric loop. With twins it pays one thread test per call instead.
 */
final class TaskThreadTwins {
    static final String SUFFIX = "$weft$raw";

    private TaskThreadTwins() {}

    /**
     * Adds an untouched twin for every method that has a body, before the class is instrumented.
     *
     * @return the original methods that got a twin
     */
    static List<CtMethod> create(CtClass type) throws CannotCompileException {
        List<CtMethod> twinned = new ArrayList<>();
        if (type.isInterface()) {
            return twinned; // a private interface method needs class files of version 53+: keep interfaces simple
        }
        for (CtMethod m : type.getDeclaredMethods()) {
            int mod = m.getModifiers();
            if (Modifier.isAbstract(mod) || Modifier.isNative(mod) || m.getMethodInfo2().getCodeAttribute() == null
                    || (m.getMethodInfo2().getAccessFlags() & AccessFlag.BRIDGE) != 0) {
                continue;
            }
            CtMethod twin = CtNewMethod.copy(m, m.getName() + SUFFIX, type, null);
            twin.setModifiers((mod & (Modifier.STATIC | Modifier.STRICT | Modifier.VARARGS)) | Modifier.PRIVATE);
            MethodInfo info = twin.getMethodInfo2();
            info.setAccessFlags(info.getAccessFlags() | AccessFlag.SYNTHETIC);
            info.removeAttribute(AnnotationsAttribute.visibleTag);
            info.removeAttribute(AnnotationsAttribute.invisibleTag);
            info.removeAttribute(ParameterAnnotationsAttribute.visibleTag);
            info.removeAttribute(ParameterAnnotationsAttribute.invisibleTag);
            type.addMethod(twin);
            twinned.add(m);
        }
        return twinned;
    }

    static boolean isTwin(CtBehavior behavior) {
        return behavior.getName().endsWith(SUFFIX);
    }

    /** Makes each instrumented method run its twin when called on a task thread. */
    static void divert(List<CtMethod> twinned) throws CannotCompileException, NotFoundException {
        for (CtMethod m : twinned) {
            String call = m.getName() + SUFFIX + "($$)";
            String onTaskThread = "Thread.currentThread() instanceof io.weft.api.spi.RuntimeThread";
            if (m.getReturnType() == CtClass.voidType) {
                m.insertBefore("if (" + onTaskThread + ") { " + call + "; return; }");
            } else {
                m.insertBefore("if (" + onTaskThread + ") { return ($r) " + call + "; }");
            }
        }
    }
}
