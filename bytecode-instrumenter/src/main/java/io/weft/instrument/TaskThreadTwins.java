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
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import javassist.bytecode.AccessFlag;
import javassist.bytecode.BadBytecode;
import javassist.bytecode.BootstrapMethodsAttribute;
import javassist.bytecode.BootstrapMethodsAttribute.BootstrapMethod;
import javassist.bytecode.ClassFile;
import javassist.bytecode.CodeIterator;
import javassist.bytecode.ConstPool;
import javassist.bytecode.Opcode;
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
        redirectLambdasInTwins(type, twinned);
        return twinned;
    }

    private static final String LAMBDA_FACTORY = "java.lang.invoke.LambdaMetafactory";
    private static final int FLAG_SERIALIZABLE = 1;

    /**
     * A lambda created by task code is task code wherever it runs: a parallel stream inside a task runs it on
     * ForkJoin threads, which must not wait for the very task they work for. In each twin, lambdas (and method
     * references) whose body is a method of this class get a bootstrap of their own that points at that method's
     * twin. The original methods keep theirs: lambdas created by the main program still wait where they must.
     */
    private static void redirectLambdasInTwins(CtClass type, List<CtMethod> twinned) {
        ClassFile file = type.getClassFile();
        BootstrapMethodsAttribute attribute =
                (BootstrapMethodsAttribute) file.getAttribute(BootstrapMethodsAttribute.tag);
        if (attribute == null) {
            return;
        }
        Set<String> hasTwin = new HashSet<>();
        for (CtMethod m : twinned) {
            hasTwin.add(m.getName() + m.getSignature());
        }
        ConstPool cp = file.getConstPool();
        List<BootstrapMethod> bootstraps = new ArrayList<>(List.of(attribute.getMethods()));
        Map<Integer, Integer> redirected = new HashMap<>(); // invokedynamic constant -> its twin's
        boolean changed = false;
        for (MethodInfo method : file.getMethods()) {
            if (!method.getName().endsWith(SUFFIX) || method.getCodeAttribute() == null) {
                continue;
            }
            CodeIterator it = method.getCodeAttribute().iterator();
            while (it.hasNext()) {
                int pos;
                try {
                    pos = it.next();
                } catch (BadBytecode e) {
                    break;
                }
                if (it.byteAt(pos) != Opcode.INVOKEDYNAMIC) {
                    continue;
                }
                int indy = it.u16bitAt(pos + 1);
                Integer twinIndy = redirected.get(indy);
                if (twinIndy == null) {
                    twinIndy = twinIndy(cp, bootstraps, indy, hasTwin);
                    redirected.put(indy, twinIndy);
                }
                if (twinIndy != indy) {
                    it.write16bit(twinIndy, pos + 1);
                    changed = true;
                }
            }
        }
        if (changed) {
            file.addAttribute(new BootstrapMethodsAttribute(cp, bootstraps.toArray(new BootstrapMethod[0])));
        }
    }

    /** The constant of an invokedynamic like {@code indy} but bound to the twin of its lambda body, or {@code indy}. */
    private static int twinIndy(ConstPool cp, List<BootstrapMethod> bootstraps, int indy, Set<String> hasTwin) {
        BootstrapMethod b = bootstraps.get(cp.getInvokeDynamicBootstrap(indy));
        int factory = cp.getMethodHandleIndex(b.methodRef);
        if (!LAMBDA_FACTORY.equals(cp.getMethodrefClassName(factory)) || b.arguments.length < 3) {
            return indy;
        }
        if (cp.getMethodrefName(factory).equals("altMetafactory") && b.arguments.length > 3
                && (cp.getIntegerInfo(b.arguments[3]) & FLAG_SERIALIZABLE) != 0) {
            return indy; // a serializable lambda is found again by its body's name when deserialised
        }
        int handle = b.arguments[1];
        int ref = cp.getMethodHandleIndex(handle);
        String owner = cp.getMethodrefClassName(ref);
        String name = cp.getMethodrefName(ref);
        String descriptor = cp.getMethodrefType(ref);
        if (!owner.equals(cp.getClassName()) || !hasTwin.contains(name + descriptor)) {
            return indy;
        }
        int twinRef = cp.addMethodrefInfo(cp.getThisClassInfo(), name + SUFFIX, descriptor);
        int[] arguments = b.arguments.clone();
        arguments[1] = cp.addMethodHandleInfo(cp.getMethodHandleKind(handle), twinRef);
        bootstraps.add(new BootstrapMethod(b.methodRef, arguments));
        return cp.addInvokeDynamicInfo(bootstraps.size() - 1, cp.getInvokeDynamicNameAndType(indy));
    }

    static boolean isTwin(CtBehavior behavior) {
        return behavior.getName().endsWith(SUFFIX);
    }

    /** Makes each instrumented method run its twin when called on a task thread. */
    static void divert(List<CtMethod> twinned) throws CannotCompileException, NotFoundException {
        for (CtMethod m : twinned) {
            String call = m.getName() + SUFFIX + "($$)";
            String onTaskThread = "java.lang.Thread#currentThread() instanceof io.weft.api.spi.RuntimeThread";
            if (m.getReturnType() == CtClass.voidType) {
                m.insertBefore("if (" + onTaskThread + ") { " + call + "; return; }");
            } else {
                m.insertBefore("if (" + onTaskThread + ") { return ($r) " + call + "; }");
            }
        }
    }
}
