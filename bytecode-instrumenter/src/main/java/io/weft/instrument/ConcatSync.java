package io.weft.instrument;

import java.util.List;
import javassist.ClassPool;
import javassist.bytecode.BadBytecode;
import javassist.bytecode.BootstrapMethodsAttribute;
import javassist.bytecode.Bytecode;
import javassist.bytecode.ClassFile;
import javassist.bytecode.CodeAttribute;
import javassist.bytecode.CodeIterator;
import javassist.bytecode.ConstPool;
import javassist.bytecode.MethodInfo;
import javassist.bytecode.Opcode;

/**
 * Makes string concatenation wait for pending data. Since Java 9, {@code "x=" + obj} compiles to an {@code
 * invokedynamic} to {@code StringConcatFactory} whose generated code calls {@code obj.toString()} inside the JDK,
 * out of the instrumenter's reach. Before each such instruction this pass spills the operands to fresh locals,
 * calls {@code Intercept.use} on the ones that may be data, and reloads them.
 */
final class ConcatSync {
    private static final String FACTORY = "java.lang.invoke.StringConcatFactory";

    private ConcatSync() {}

    /** Rewrites every concatenation site of the class; returns whether anything changed. */
    static boolean apply(ClassFile classFile, ClassPool pool) throws BadBytecode {
        BootstrapMethodsAttribute bootstraps =
                (BootstrapMethodsAttribute) classFile.getAttribute(BootstrapMethodsAttribute.tag);
        if (bootstraps == null) {
            return false;
        }
        ConstPool cp = classFile.getConstPool();
        boolean any = false;
        for (MethodInfo method : classFile.getMethods()) {
            CodeAttribute code = method.getCodeAttribute();
            if (code == null || method.getName().endsWith(TaskThreadTwins.SUFFIX)) {
                continue;
            }
            boolean changed = false;
            CodeIterator it = code.iterator();
            while (it.hasNext()) {
                int pos = it.next();
                if (it.byteAt(pos) != Opcode.INVOKEDYNAMIC) {
                    continue;
                }
                int index = it.u16bitAt(pos + 1);
                int bootstrap = cp.getInvokeDynamicBootstrap(index);
                int handle = bootstraps.getMethods()[bootstrap].methodRef;
                if (!FACTORY.equals(cp.getMethodrefClassName(cp.getMethodHandleIndex(handle)))) {
                    continue;
                }
                String descriptor = cp.getUtf8Info(cp.getNameAndTypeDescriptor(cp.getInvokeDynamicNameAndType(index)));
                List<String> params = Descriptors.parameters(descriptor);
                if (params.stream().noneMatch(Descriptors::mayBeData)) {
                    continue;
                }
                int base = code.getMaxLocals();
                int[] slots = new int[params.size()];
                int next = base;
                for (int i = 0; i < params.size(); i++) {
                    slots[i] = next;
                    next += Descriptors.size(params.get(i));
                }
                Bytecode spill = new Bytecode(cp);
                for (int i = params.size() - 1; i >= 0; i--) {
                    store(spill, params.get(i), slots[i]);
                }
                for (int i = 0; i < params.size(); i++) {
                    if (Descriptors.mayBeData(params.get(i))) {
                        spill.addAload(slots[i]);
                        spill.addInvokestatic("io.weft.api.spi.Intercept", "use", "(Ljava/lang/Object;)V");
                    }
                }
                for (int i = 0; i < params.size(); i++) {
                    load(spill, params.get(i), slots[i]);
                }
                code.setMaxLocals(next);
                it.insertAt(pos, spill.get());
                changed = true;
            }
            if (changed) {
                code.setMaxStack(code.computeMaxStack());
                method.rebuildStackMapIf6(pool, classFile);
                any = true;
            }
        }
        return any;
    }

    private static void store(Bytecode b, String type, int slot) {
        switch (type.charAt(0)) {
            case 'J' -> b.addLstore(slot);
            case 'D' -> b.addDstore(slot);
            case 'F' -> b.addFstore(slot);
            case 'L', '[' -> b.addAstore(slot);
            default -> b.addIstore(slot);
        }
    }

    private static void load(Bytecode b, String type, int slot) {
        switch (type.charAt(0)) {
            case 'J' -> b.addLload(slot);
            case 'D' -> b.addDload(slot);
            case 'F' -> b.addFload(slot);
            case 'L', '[' -> b.addAload(slot);
            default -> b.addIload(slot);
        }
    }
}
