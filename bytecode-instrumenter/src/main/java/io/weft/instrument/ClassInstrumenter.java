package io.weft.instrument;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import javassist.CannotCompileException;
import javassist.ClassClassPath;
import javassist.ClassPool;
import javassist.CodeConverter;
import javassist.CtBehavior;
import javassist.CtClass;
import javassist.CtConstructor;
import javassist.CtMethod;
import javassist.LoaderClassPath;
import javassist.Modifier;
import javassist.NotFoundException;
import javassist.bytecode.BadBytecode;
import javassist.bytecode.Opcode;
import javassist.expr.ExprEditor;
import javassist.expr.FieldAccess;
import javassist.expr.MethodCall;
import javassist.expr.NewExpr;

/**
 * Rewrites one application class so that it runs on the Weft runtime. A pure function of the class bytes (plus
 * the class files it can read through the loader, to tell which called methods are tasks):
 *
 * <ul>
 *   <li>every call site of a {@code @Task} method becomes a call of a private static method added to the class, one
 *       per task and call type, which calls {@code Intercept.task(site, receiver, args)} and falls back to the plain
 *       call when the runtime answers {@code INLINE} (in an interface, or where the helper's plain call could differ
 *       from the call site's, the call site itself is rewritten so);
 *   <li>every other use of an object that may be task data — as the receiver or an argument of a call, as the
 *       target of a field read or write, as an array whose element is read or written, as an operand of string
 *       concatenation — is preceded by {@code Intercept.use}, which waits only if the object has pending tasks;
 *   <li>an argument that a JDK method only stores ({@link StoreOnlyMethods}: a list's {@code add}, a map's
 *       {@code put}…) is preceded by {@code Intercept.store} instead, which does not wait for an object that waits
 *       for itself;
 *   <li>constructors of file streams named by a string path call {@code Intercept.usePath} first;
 *   <li>the entry class's {@code main} ends with {@code Intercept.endOfMain()}, even when it throws.
 * </ul>
 *
 * <p>Thread-safe: class loading happens on many threads; each loader's class pool is used under its own lock.
 */
final class ClassInstrumenter {
    /** Assigns the ids of task call sites. */
    interface SiteRegistry {
        int register(ClassLoader loader, String owner, String name, String descriptor, boolean isStatic);
    }

    private static final String INTERCEPT = "io.weft.api.spi.Intercept";
    private static final String SPI = "io.weft.api.spi.";
    /** Stream and writer classes whose constructor opens a file named by a leading String argument. */
    private static final Set<String> FILE_OPENERS = Set.of(
            "java.io.FileInputStream", "java.io.FileOutputStream", "java.io.FileReader", "java.io.FileWriter",
            "java.io.RandomAccessFile", "java.io.PrintWriter", "java.io.PrintStream", "java.util.Formatter");

    private final SiteRegistry sites;
    private final String mainClass;
    private final ClassFilter filter;
    private final boolean processStartsOnly;
    private final Map<ClassLoader, RecordingPool> pools = new WeakHashMap<>();

    /**
     * @param sites where task call sites are registered
     * @param mainClass the binary name of the program's entry class, or {@code null} if unknown
     */
    ClassInstrumenter(SiteRegistry sites, String mainClass) {
        this(sites, mainClass, new ClassFilter(List.of(), List.of()));
    }

    /**
     * @param filter the agent's class filter: a class it includes may declare tasks even under a built-in exclusion
     */
    ClassInstrumenter(SiteRegistry sites, String mainClass, ClassFilter filter) {
        this(sites, mainClass, filter, false);
    }

    private ClassInstrumenter(SiteRegistry sites, String mainClass, ClassFilter filter, boolean processStartsOnly) {
        this.sites = sites;
        this.mainClass = mainClass;
        this.filter = filter;
        this.processStartsOnly = processStartsOnly;
    }

    /**
     * The instrumenter of a worker process: task code runs there as written (task calls inline), and only the
     * processes it starts are routed through {@code Intercept}, to get the task's cores and devices.
     */
    static ClassInstrumenter processStartsOnly(ClassFilter filter) {
        return new ClassInstrumenter((loader, owner, name, descriptor, isStatic) -> -1, null, filter, true);
    }

    /**
     * Rewrites a class.
     *
     * @param loader the class's defining loader, used to read the classes it calls
     * @param classBytes the class file
     * @return the rewritten class file
     * @throws InstrumentationException if the class declares tasks wrongly or cannot be rewritten
     */
    byte[] instrument(ClassLoader loader, byte[] classBytes) {
        return instrument(loader, classBytes, null);
    }

    /**
     * Rewrites a class, noting in {@code recording} (if not {@code null}) everything the rewrite depended on besides
     * the class's own bytes: each class it looked up, and each task call site it registered.
     */
    byte[] instrument(ClassLoader loader, byte[] classBytes, RewriteRecording recording) {
        if (processStartsOnly && !mentions(classBytes, PROCESS_BUILDER) && !mentions(classBytes, RUNTIME)
                && !mentions(classBytes, EXIT)) {
            // It can neither start a process nor end the JVM: no need to parse it (nor, for the first class, to load
            // the parser).
            return null;
        }
        RecordingPool pool = poolFor(loader);
        synchronized (pool) {
            pool.recording = recording;
            CtClass type;
            try {
                type = pool.makeClass(new ByteArrayInputStream(classBytes), false);
            } catch (IOException | RuntimeException e) {
                throw new InstrumentationException("cannot read class file: " + e, e);
            }
            try {
                if (processStartsOnly) {
                    ProcessStarts.apply(type);
                    return type.toBytecode();
                }
                TaskDeclarations.validate(type);
                if (type.isInterface() && type.getDeclaredBehaviors().length == 0) {
                    return classBytes;
                }
                TaskMethodReferences.bridge(type, pool, filter);
                List<CtMethod> twinned = TaskThreadTwins.create(type);
                ProcessStarts.apply(type);
                ConcatSync.apply(type.getClassFile(), pool);
                CodeConverter arrays = new CodeConverter();
                arrays.replaceArrayAccess(pool.get("io.weft.api.spi.ArrayAccess"),
                        new CodeConverter.DefaultArrayAccessReplacementMethodNames());
                Editor editor = new Editor(loader, pool, recording);
                for (CtBehavior behavior : type.getDeclaredBehaviors()) {
                    if (behavior.getMethodInfo2().getCodeAttribute() == null || TaskThreadTwins.isTwin(behavior)) {
                        continue;
                    }
                    editor.current = behavior;
                    try {
                        int userLocals = behavior.getMethodInfo().getCodeAttribute().getMaxLocals();
                        behavior.instrument(arrays);
                        behavior.instrument(editor);
                        ArrayGuards.apply(behavior.getMethodInfo(), type.getClassFile(), pool);
                        UseGuards.apply(behavior.getMethodInfo(), type.getClassFile(), pool, userLocals);
                    } catch (CannotCompileException e) {
                        throw new InstrumentationException("cannot rewrite " + type.getName() + "."
                                + behavior.getName() + behavior.getSignature() + ": " + e.getReason(), e);
                    }
                }
                TaskThreadTwins.divert(twinned);
                if (type.getName().equals(mainClass)) {
                    markEndOfMain(type, pool);
                }
                return type.toBytecode();
            } catch (NotFoundException | BadBytecode | CannotCompileException | IOException e) {
                throw new InstrumentationException("cannot rewrite " + type.getName() + ": " + e, e);
            } finally {
                type.detach();
                pool.recording = null;
            }
        }
    }

    private static final byte[] PROCESS_BUILDER = utf8Entry("java/lang/ProcessBuilder");
    private static final byte[] RUNTIME = utf8Entry("java/lang/Runtime");
    /** The name of {@code System.exit}: a class that calls it has this entry. */
    private static final byte[] EXIT = utf8Entry("exit");

    /** A constant-pool UTF-8 entry as it stands in a class file: tag 1, a two-byte length, the (ASCII) bytes. */
    private static byte[] utf8Entry(String ascii) {
        byte[] text = ascii.getBytes(StandardCharsets.US_ASCII);
        byte[] entry = new byte[text.length + 3];
        entry[0] = 1;
        entry[1] = (byte) (text.length >> 8);
        entry[2] = (byte) text.length;
        System.arraycopy(text, 0, entry, 3, text.length);
        return entry;
    }

    /**
     * Whether a class file holds this constant-pool entry: a call to a method of a class names that class in a
     * UTF-8 entry of exactly its name (a longer name, such as {@code java/lang/RuntimeException}, is another entry).
     */
    static boolean mentions(byte[] classBytes, byte[] name) {
        outer:
        for (int i = 0, last = classBytes.length - name.length; i <= last; i++) {
            for (int j = 0; j < name.length; j++) {
                if (classBytes[i + j] != name[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static void markEndOfMain(CtClass type, ClassPool pool) throws NotFoundException, CannotCompileException {
        CtMethod main;
        try {
            main = type.getDeclaredMethod("main", new CtClass[] {pool.get("java.lang.String[]")});
        } catch (NotFoundException e) {
            return;
        }
        if (Modifier.isStatic(main.getModifiers())) {
            // An exception from main must reach the user unchanged: the exceptional path only waits and reports.
            main.addCatch("{ " + INTERCEPT + "#endOfMainThrew($e); throw $e; }", pool.get("java.lang.Throwable"));
            main.insertAfter(INTERCEPT + "#endOfMain();", false);
        }
    }

    private RecordingPool poolFor(ClassLoader loader) {
        synchronized (pools) {
            RecordingPool pool = pools.get(loader); // not computeIfAbsent's lambda: this runs before main
            if (pool == null) {
                pool = new RecordingPool();
                pool.appendClassPath(new LoaderClassPath(loader));
                pool.appendClassPath(new ClassClassPath(Object.class));
                pool.appendClassPath(new ClassClassPath(io.weft.api.spi.Intercept.class));
                pools.put(loader, pool);
            }
            return pool;
        }
    }

    /**
     * A loader's class pool that tells the rewrite under way which classes it looks up: cached or not, every lookup
     * by name goes through {@code get0}. Used under its own lock.
     */
    private static final class RecordingPool extends ClassPool {
        RewriteRecording recording;

        RecordingPool() {
            super(false);
        }

        @Override
        protected synchronized CtClass get0(String classname, boolean useCache) throws NotFoundException {
            if (recording != null) {
                recording.consulted(classname);
            }
            return super.get0(classname, useCache);
        }
    }

    /** The expression editor; one per class, used under the pool's lock. */
    private final class Editor extends ExprEditor {
        private final ClassLoader loader;
        private final ClassPool pool;
        private final RewriteRecording recording;
        /** The task-call methods made so far ({@link #helper}), by site, call type and descriptor. */
        private final Map<String, String> helpers = new java.util.HashMap<>();
        CtBehavior current;

        Editor(ClassLoader loader, ClassPool pool, RewriteRecording recording) {
            this.loader = loader;
            this.pool = pool;
            this.recording = recording;
        }

        @Override
        public void edit(MethodCall call) throws CannotCompileException {
            String owner = call.getClassName();
            if (owner.startsWith(SPI)) {
                return;
            }
            boolean isStatic;
            boolean varArgs;
            if (!filter.mayDeclareTasks(owner)) {
                // Never a task: read what we need from the instruction itself rather than parse the JDK's classes.
                isStatic = opcode(call) == Opcode.INVOKESTATIC;
                varArgs = call.getSignature().contains("[Ljava/lang/Object;)");
            } else {
                CtMethod target = resolve(call);
                if (target == null) {
                    return;
                }
                isStatic = Modifier.isStatic(target.getModifiers());
                if (target.hasAnnotation(TaskDeclarations.TASK) && !call.isSuper()) {
                    replaceTaskCall(call, target, isStatic);
                    return;
                }
                varArgs = Modifier.isVarArgs(target.getModifiers());
            }
            StringBuilder sync = new StringBuilder();
            if (!isStatic && Descriptors.mayBeData("L" + owner.replace('.', '/') + ";")) {
                sync.append(INTERCEPT).append("#use($0);");
            }
            appendArgumentSyncs(sync, call.getSignature(), varArgs,
                    StoreOnlyMethods.of(owner, call.getMethodName(), call.getSignature()));
            if (sync.length() > 0 && readable(owner, call.getSignature())) {
                call.replace("{ " + sync + " $_ = $proceed($$); }");
            }
        }

        private int opcode(MethodCall call) {
            return current.getMethodInfo().getCodeAttribute().iterator().byteAt(call.indexOfBytecode());
        }

        private CtMethod resolve(MethodCall call) {
            try {
                return call.getMethod();
            } catch (NotFoundException e) {
                // A class missing from the class path fails at run time anyway, exactly as it would without us.
                return null;
            }
        }

        private void replaceTaskCall(MethodCall call, CtMethod target, boolean isStatic)
                throws CannotCompileException {
            if (!readable(call.getClassName(), call.getSignature())) {
                return;
            }
            String declaring = target.getDeclaringClass().getName();
            int site = sites.register(loader, declaring, target.getName(), target.getSignature(), isStatic);
            if (recording != null) {
                recording.site(declaring, target.getName(), target.getSignature(), isStatic, site);
            }
            boolean returns = !Descriptors.returnType(target.getSignature()).equals("V");
            // A helper calls the method by source, as javassist compiles it: only where that is the same instruction
            // as the call site's. Not through another class's name (a static method of a package-private superclass
            // would be called on that class, which the caller may not reach), nor a private method of another
            // class (javassist would go through an accessor it adds to that class, which is never written out).
            CtClass caller = current.getDeclaringClass();
            boolean direct = declaring.equals(call.getClassName())
                    && (!Modifier.isPrivate(target.getModifiers()) || declaring.equals(caller.getName()));
            String helper = caller.isInterface() || !direct ? null
                    : helper(call, target.getName(), site, isStatic, returns);
            if (helper != null) {
                // One call to a small method of the class's own: the calling method stays the size it was written.
                String viaHelper = helper + "(" + (isStatic ? "$$" : "$0, $$") + ");";
                call.replace(returns ? "{ $_ = " + viaHelper + " }" : "{ " + viaHelper + " }");
                return;
            }
            String receiver = isStatic ? "null" : "$0";
            String submit = INTERCEPT + "#task(" + site + ", " + receiver + ", $args)";
            if (!returns) {
                call.replace("{ if (" + submit + " == " + INTERCEPT + "#INLINE) { $proceed($$); } }");
            } else {
                call.replace("{ java.lang.Object weft$result = " + submit + "; if (weft$result == " + INTERCEPT
                        + "#INLINE) { $_ = $proceed($$); } else { $_ = ($r) weft$result; } }");
            }
        }

        /**
         * The name of a private static method of the class being rewritten that submits the task of {@code site}
         * and, when the runtime answers {@code INLINE}, makes the call as written: made on the first call site of
         * that task (with that descriptor), shared by the others. A call site rewritten in place would grow by the
         * argument array, its boxing and the fallback call, some 100 bytes and more each: a method that calls many
         * tasks would grow several times over, take the JIT that much longer to compile, and past 8,000 bytes not
         * be compiled at all. Returns {@code null} if the method cannot be made (the call is then rewritten in place).
         */
        private String helper(MethodCall call, String method, int site, boolean isStatic, boolean returns) {
            String owner = call.getClassName();
            String key = site + " " + owner + " " + call.getSignature();
            String name = helpers.get(key);
            if (name != null) {
                return name;
            }
            CtClass type = current.getDeclaringClass();
            try {
                CtClass[] params = javassist.bytecode.Descriptor.getParameterTypes(call.getSignature(), pool);
                CtClass[] all = params;
                if (!isStatic) {
                    all = new CtClass[params.length + 1];
                    all[0] = pool.get(owner);
                    System.arraycopy(params, 0, all, 1, params.length);
                }
                int first = isStatic ? 1 : 2;
                StringBuilder args = new StringBuilder("new java.lang.Object[] {");
                StringBuilder plain = new StringBuilder();
                for (int i = 0; i < params.length; i++) {
                    args.append(i == 0 ? " " : ", ").append("($w) $").append(first + i);
                    plain.append(i == 0 ? "" : ", ").append('$').append(first + i);
                }
                args.append(params.length == 0 ? "}" : " }");
                String direct = (isStatic ? owner + "#" : "$1.") + method + "(" + plain + ")";
                String submit = INTERCEPT + "#task(" + site + ", " + (isStatic ? "null" : "$1") + ", " + args + ")";
                String body = returns
                        ? "{ java.lang.Object weft$result = " + submit + "; if (weft$result == " + INTERCEPT + "#INLINE) {"
                                + " return " + direct + "; } return ($r) weft$result; }"
                        : "{ if (" + submit + " == " + INTERCEPT + "#INLINE) { " + direct + "; } }";
                name = "weft$task$" + site + (helpers.isEmpty() ? "" : "$" + helpers.size());
                while (declares(type, name)) {
                    name += "$";
                }
                CtMethod m = javassist.CtNewMethod.make(Modifier.PRIVATE | Modifier.STATIC,
                        javassist.bytecode.Descriptor.getReturnType(call.getSignature(), pool), name, all,
                        new CtClass[0], body, type);
                m.getMethodInfo2().setAccessFlags(m.getMethodInfo2().getAccessFlags()
                        | javassist.bytecode.AccessFlag.SYNTHETIC);
                type.addMethod(m);
            } catch (NotFoundException | CannotCompileException e) {
                return null;
            }
            helpers.put(key, name);
            return name;
        }

        private static boolean declares(CtClass type, String name) {
            for (CtMethod m : type.getDeclaredMethods()) {
                if (m.getName().equals(name)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void edit(FieldAccess access) throws CannotCompileException {
            if (access.isStatic() || current instanceof CtConstructor
                    || !readable(access.getClassName(), access.getSignature())) {
                return;
            }
            if (access.isReader()) {
                access.replace("{ " + INTERCEPT + "#use($0); $_ = $proceed(); }");
            } else {
                access.replace("{ " + INTERCEPT + "#use($0); $proceed($$); }");
            }
        }

        @Override
        public void edit(NewExpr creation) throws CannotCompileException {
            String signature = creation.getSignature();
            List<String> params = Descriptors.parameters(signature);
            StringBuilder sync = new StringBuilder();
            if (FILE_OPENERS.contains(creation.getClassName()) && !params.isEmpty()
                    && params.get(0).equals("Ljava/lang/String;")) {
                sync.append(INTERCEPT).append("#usePath($1);");
            }
            appendArgumentSyncs(sync, signature, false, null);
            if (sync.length() > 0 && readable(creation.getClassName(), signature)) {
                creation.replace("{ " + sync + " $_ = $proceed($$); }");
            }
        }

        /**
         * Whether javassist can read the class and every class the descriptor names, as it must to compile a
         * replacement (NewExpr.replace even blanks the NEW before it looks). A class missing from the class path
         * fails at run time anyway, exactly as it would without us, so such an expression is left as written.
         */
        private boolean readable(String className, String descriptor) {
            if (pool.getOrNull(className) == null) {
                return false;
            }
            for (int i = descriptor.indexOf('L'); i >= 0; i = descriptor.indexOf('L', i + 1)) {
                int end = descriptor.indexOf(';', i);
                if (pool.getOrNull(descriptor.substring(i + 1, end).replace('/', '.')) == null) {
                    return false;
                }
                i = end;
            }
            return true;
        }

        /**
         * @param stored what the callee only stores (its arguments there wait only if they cannot wait for
         *     themselves), or {@code null}
         */
        private void appendArgumentSyncs(StringBuilder sync, String signature, boolean varArgs,
                StoreOnlyMethods.Stored stored) {
            List<String> params = Descriptors.parameters(signature);
            for (int i = 0; i < params.size(); i++) {
                String t = params.get(i);
                if (!Descriptors.mayBeData(t)) {
                    continue;
                }
                String method;
                if (stored != null && stored.parameters().contains(i)) {
                    method = stored.elements() ? "#storeElements($" : "#store($";
                } else {
                    boolean elements = varArgs && i == params.size() - 1 && t.startsWith("[L");
                    method = elements ? "#useElements($" : "#use($";
                }
                sync.append(INTERCEPT).append(method).append(i + 1).append(");");
            }
        }
    }
}
