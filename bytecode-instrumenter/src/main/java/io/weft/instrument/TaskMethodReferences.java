package io.weft.instrument;

import java.util.List;
import javassist.CannotCompileException;
import javassist.ClassPool;
import javassist.CtClass;
import javassist.CtMethod;
import javassist.CtNewMethod;
import javassist.Modifier;
import javassist.NotFoundException;
import javassist.bytecode.AccessFlag;
import javassist.bytecode.BootstrapMethodsAttribute;
import javassist.bytecode.BootstrapMethodsAttribute.BootstrapMethod;
import javassist.bytecode.ClassFile;
import javassist.bytecode.ConstPool;
import javassist.bytecode.Descriptor;

/**
 * Makes method references to tasks ({@code Blocks::factor}, {@code block::scale}) submit like calls. javac compiles
 * them to an {@code invokedynamic} whose implementation handle names the task itself, so no call instruction exists
 * for the expression editor to rewrite. This pass points each such handle at a private static bridge that calls the
 * task; the call inside the bridge is then an ordinary task call site.
 */
final class TaskMethodReferences {
    private static final String FACTORY = "java.lang.invoke.LambdaMetafactory";
    private static final int FLAG_SERIALIZABLE = 1;

    private TaskMethodReferences() {}

    static void bridge(CtClass type, ClassPool pool, ClassFilter filter) throws CannotCompileException {
        ClassFile file = type.getClassFile();
        BootstrapMethodsAttribute attribute =
                (BootstrapMethodsAttribute) file.getAttribute(BootstrapMethodsAttribute.tag);
        if (attribute == null || type.isInterface()) {
            return;
        }
        ConstPool cp = file.getConstPool();
        BootstrapMethod[] methods = attribute.getMethods();
        boolean changed = false;
        for (int b = 0; b < methods.length; b++) {
            BootstrapMethod m = methods[b];
            int factory = cp.getMethodHandleIndex(m.methodRef);
            String factoryName = cp.getMethodrefName(factory);
            if (!FACTORY.equals(cp.getMethodrefClassName(factory)) || m.arguments.length < 3
                    || (factoryName.equals("altMetafactory")
                            && (cp.getIntegerInfo(m.arguments[3]) & FLAG_SERIALIZABLE) != 0)) {
                continue; // a serializable lambda's $deserializeLambda$ matches the implementation by name
            }
            int handle = m.arguments[1];
            int kind = cp.getMethodHandleKind(handle);
            if (kind != ConstPool.REF_invokeStatic && kind != ConstPool.REF_invokeVirtual
                    && kind != ConstPool.REF_invokeInterface) {
                continue;
            }
            int ref = cp.getMethodHandleIndex(handle);
            String owner = cp.getMethodrefClassName(ref);
            String name = cp.getMethodrefName(ref);
            String descriptor = cp.getMethodrefType(ref);
            if (!filter.mayDeclareTasks(owner) || !isTask(pool, owner, name, descriptor)) {
                continue;
            }
            boolean isStatic = kind == ConstPool.REF_invokeStatic;
            List<String> params = Descriptors.parameters(descriptor);
            StringBuilder args = new StringBuilder();
            for (int i = 0; i < params.size(); i++) {
                args.append(i == 0 ? "" : ", ").append('$').append(isStatic ? i + 1 : i + 2);
            }
            String call = (isStatic ? owner + "#" : "$1.") + name + "(" + args + ")";
            String bridgeDescriptor = isStatic ? descriptor
                    : "(L" + owner.replace('.', '/') + ";" + descriptor.substring(1);
            String bridgeName = "weft$ref$" + b;
            try {
                CtMethod bridge = CtNewMethod.make(Modifier.PRIVATE | Modifier.STATIC,
                        Descriptor.getReturnType(bridgeDescriptor, pool), bridgeName,
                        Descriptor.getParameterTypes(bridgeDescriptor, pool), new CtClass[0],
                        Descriptors.returnType(descriptor).equals("V") ? "{ " + call + "; }" : "{ return " + call + "; }",
                        type);
                bridge.getMethodInfo2().setAccessFlags(bridge.getMethodInfo2().getAccessFlags() | AccessFlag.SYNTHETIC);
                type.addMethod(bridge);
            } catch (NotFoundException e) {
                continue;
            }
            int bridgeRef = cp.addMethodrefInfo(cp.getThisClassInfo(), bridgeName, bridgeDescriptor);
            m.arguments[1] = cp.addMethodHandleInfo(ConstPool.REF_invokeStatic, bridgeRef);
            changed = true;
        }
        if (changed) {
            file.addAttribute(new BootstrapMethodsAttribute(cp, methods));
        }
    }

    private static boolean isTask(ClassPool pool, String owner, String name, String descriptor) {
        CtClass c = pool.getOrNull(owner);
        if (c == null) {
            return false;
        }
        try {
            return c.getMethod(name, descriptor).hasAnnotation(TaskDeclarations.TASK);
        } catch (NotFoundException e) {
            return false;
        }
    }
}
