package io.weft.instrument;

import io.weft.instrument.GuardInserts.Site;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javassist.ClassPool;
import javassist.bytecode.BadBytecode;
import javassist.bytecode.Bytecode;
import javassist.bytecode.ClassFile;
import javassist.bytecode.CodeAttribute;
import javassist.bytecode.CodeIterator;
import javassist.bytecode.ConstPool;
import javassist.bytecode.ExceptionTable;
import javassist.bytecode.MethodInfo;
import javassist.bytecode.Opcode;

/**
 * Lets instrumented code read and write the elements of an array held in a local variable without asking the
 * runtime at each element, once it has asked for that array and no task was called since.
 *
 * <p>The array pass ({@code CodeConverter.replaceArrayAccess}) turns every element read and write into a call of
 * {@code ArrayAccess}, which asks the runtime ({@code Intercept.use}) each time: on a thread of the program, while
 * any task is in flight, that is a look-up per element, and a loop over an array ran some 30 times slower than
 * without the agent (the JIT can neither hoist nor vectorise it). This pass takes back such a call where the array
 * comes straight from a local variable, in straight-line code: the access becomes the plain array instruction
 * again, behind a guard made of two new locals per such variable, the array last asked for and the count of task
 * calls then ({@code Intercept.taskCalls}, read for the guard's slow path with {@code Intercept.taskCallsNow}). The
 * runtime is asked again when the variable holds another array or when a task was called since (by any thread: a
 * thread sees another's call once it synchronises with it). Nothing else makes an array wait: only a task called
 * earlier can use it, and a task call is counted once the runtime has registered what it uses.
 *
 * <p>Where the variable gets an array (a store, or where the body starts for a parameter) it asks
 * {@code Intercept.ready}, which never waits: an array that needs no wait is noted as asked for at once, so that a
 * loop over it never takes the guard's slow path, and the JIT lifts the guard, which then reads only locals and a
 * plain static field, out of the loop. A store of any other kind into the slot clears the guard. Accesses it cannot
 * prove come from an unchanged local keep their call. In a constructor, only the code after its call of
 * {@code super(…)} or {@code this(…)} is guarded.
 */
final class ArrayGuards {
    private ArrayGuards() {}

    /** At most this many local variables get a guard in one method: the ones with the most accesses. */
    static final int MOST_LOCALS = 8;
    private static final String ACCESS = "io.weft.api.spi.ArrayAccess";
    private static final String INTERCEPT = "io.weft.api.spi.Intercept";
    /** What each {@code ArrayAccess} method does, as the array instruction it stands for. */
    private static final Map<String, Integer> INSTRUCTIONS = Map.ofEntries(
            Map.entry("arrayReadByteOrBoolean", Opcode.BALOAD), Map.entry("arrayWriteByteOrBoolean", Opcode.BASTORE),
            Map.entry("arrayReadChar", Opcode.CALOAD), Map.entry("arrayWriteChar", Opcode.CASTORE),
            Map.entry("arrayReadDouble", Opcode.DALOAD), Map.entry("arrayWriteDouble", Opcode.DASTORE),
            Map.entry("arrayReadFloat", Opcode.FALOAD), Map.entry("arrayWriteFloat", Opcode.FASTORE),
            Map.entry("arrayReadInt", Opcode.IALOAD), Map.entry("arrayWriteInt", Opcode.IASTORE),
            Map.entry("arrayReadLong", Opcode.LALOAD), Map.entry("arrayWriteLong", Opcode.LASTORE),
            Map.entry("arrayReadObject", Opcode.AALOAD), Map.entry("arrayWriteObject", Opcode.AASTORE),
            Map.entry("arrayReadShort", Opcode.SALOAD), Map.entry("arrayWriteShort", Opcode.SASTORE));


    /**
     * Guards the array accesses of a method that the array pass rewrote. Leaves the method as it was if it cannot
     * (a method too large, bytecode it does not follow).
     */
    static void apply(MethodInfo method, ClassFile file, ClassPool pool) {
        CodeAttribute code = method.getCodeAttribute();
        if (code == null) {
            return;
        }
        ConstPool cp = method.getConstPool();
        List<Site> accesses;
        int body;
        try {
            body = bodyStart(method, code);
            accesses = body < 0 ? List.of() : find(code, cp, body);
        } catch (BadBytecode | RuntimeException e) {
            return;
        }
        if (accesses.isEmpty()) {
            return;
        }
        accesses = mostUsed(accesses);
        BitSet guarded = new BitSet();
        for (Site a : accesses) {
            guarded.set(a.local());
        }
        if (!fits(code, 48L * accesses.size() + 40L * storesInto(code, guarded) + 40L * guarded.cardinality(),
                3 * guarded.cardinality())) {
            return;
        }
        // Where the body starts, a parameter of a reference type is noted as after a store; any other variable holds
        // no array asked for yet. After a reference store the variable is noted; after any other, cleared.
        BitSet parameters = referenceParameters(method);
        GuardInserts.rewriteOrRestore(method, file, pool, accesses, body, new GuardInserts.Code() {
            @Override
            public byte[] site(Site site, int checked) {
                return guard(cp, site.local(), checked, checked + 1);
            }

            @Override
            public byte[] store(int local, int checked, boolean reference) {
                return reference ? note(cp, local, checked, checked + 1) : GuardInserts.clear(cp, checked);
            }

            @Override
            public byte[] entry(int local, int checked) {
                return parameters.get(local) ? note(cp, local, checked, checked + 1) : GuardInserts.unset(cp, checked);
            }
        });
    }

    /**
     * Whether a method can take {@code bytes} more code and {@code slots} more locals. No branch may come to need
     * a wide offset: javassist would widen it, and every position found before the insertion would move.
     */
    static boolean fits(CodeAttribute code, long bytes, int slots) {
        return code.getCodeLength() + bytes < 32_000 && code.getMaxLocals() + slots < 65_000;
    }

    /** How many stores into the given locals the method has. */
    static int storesInto(CodeAttribute code, BitSet locals) {
        int n = 0;
        CodeIterator it = code.iterator();
        try {
            while (it.hasNext()) {
                int[] stored = stored(it, it.next());
                if (stored != null && locals.get(stored[0], stored[0] + stored[1]).cardinality() > 0) {
                    n++;
                }
            }
        } catch (BadBytecode e) {
            return Integer.MAX_VALUE / 64;
        }
        return n;
    }

    /**
     * Where guarded code may start: 0, or in a constructor, after its call of {@code super(…)} or {@code this(…)}
     * (before it, {@code this} is not yet an object, and a branch there is best left alone); -1 if that call is not
     * found.
     */
    static int bodyStart(MethodInfo method, CodeAttribute code) throws BadBytecode {
        if (!method.isConstructor()) {
            return 0;
        }
        CodeIterator it = code.iterator();
        int call = it.skipConstructor();
        return call < 0 ? -1 : call + 3;
    }

    /**
     * The local slots the instruction at {@code pc} writes, as {first, count, 1 if it stores a reference}, or
     * {@code null} if it writes none: a store of any type (javac gives a slot to another variable once a
     * variable's scope ends), or {@code iinc}.
     */
    static int[] stored(CodeIterator it, int pc) {
        int op = it.byteAt(pc);
        boolean wide = op == Opcode.WIDE;
        if (wide) {
            op = it.byteAt(pc + 1);
        }
        int local;
        int kind;
        if (op >= Opcode.ISTORE && op <= Opcode.ASTORE) {
            kind = op - Opcode.ISTORE;
            local = wide ? it.u16bitAt(pc + 2) : it.byteAt(pc + 1);
        } else if (!wide && op >= Opcode.ISTORE_0 && op <= Opcode.ASTORE_3) {
            kind = (op - Opcode.ISTORE_0) / 4;
            local = (op - Opcode.ISTORE_0) % 4;
        } else if (op == Opcode.IINC) {
            return new int[] {wide ? it.u16bitAt(pc + 2) : it.byteAt(pc + 1), 1, 0};
        } else {
            return null;
        }
        return new int[] {local, kind == 1 || kind == 3 ? 2 : 1, kind == 4 ? 1 : 0}; // i l f d a
    }

    /** The local slots that hold a parameter of a reference type (and {@code this}) when the method starts. */
    static BitSet referenceParameters(MethodInfo method) {
        BitSet refs = new BitSet();
        int first = 0;
        if ((method.getAccessFlags() & javassist.bytecode.AccessFlag.STATIC) == 0) {
            refs.set(first++);
        }
        parameters(method.getDescriptor(), first, refs);
        return refs;
    }

    /** The accesses of the {@link #MOST_LOCALS} locals with the most of them, in code order. */
    private static List<Site> mostUsed(List<Site> accesses) {
        Map<Integer, Integer> counts = new HashMap<>();
        for (Site a : accesses) {
            counts.merge(a.local(), 1, Integer::sum);
        }
        if (counts.size() <= MOST_LOCALS) {
            return accesses;
        }
        List<Map.Entry<Integer, Integer>> byCount = new ArrayList<>(counts.entrySet());
        byCount.sort((x, y) -> y.getValue() - x.getValue());
        BitSet kept = new BitSet();
        for (int i = 0; i < MOST_LOCALS; i++) {
            kept.set(byCount.get(i).getKey());
        }
        List<Site> out = new ArrayList<>();
        for (Site a : accesses) {
            if (kept.get(a.local())) {
                out.add(a);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- finding the accesses

    /**
     * A method's instructions: where each starts (and, last, the code's length), where control may come from
     * elsewhere (branch targets and handlers), and where a try block starts or ends (no code is inserted there).
     */
    record Scan(CodeIterator it, List<Integer> starts, BitSet targets, BitSet edges) {}

    static Scan scan(CodeAttribute code) throws BadBytecode {
        CodeIterator it = code.iterator();
        List<Integer> starts = new ArrayList<>();
        BitSet targets = new BitSet();
        while (it.hasNext()) {
            int pc = it.next();
            starts.add(pc);
            branchTargets(it, pc, targets);
        }
        starts.add(code.getCodeLength());
        BitSet edges = new BitSet();
        ExceptionTable table = code.getExceptionTable();
        for (int i = 0; i < table.size(); i++) {
            targets.set(table.handlerPc(i));
            edges.set(table.startPc(i));
            edges.set(table.endPc(i));
        }
        return new Scan(it, starts, targets, edges);
    }

    private static List<Site> find(CodeAttribute code, ConstPool cp, int body) throws BadBytecode {
        Scan scan = scan(code);
        CodeIterator it = scan.it;
        List<Integer> starts = scan.starts;
        BitSet targets = scan.targets;
        BitSet edges = scan.edges;
        List<Site> found = new ArrayList<>();
        for (int i = 0; i < starts.size() - 1; i++) {
            int pc = starts.get(i);
            if (pc < body || it.byteAt(pc) != Opcode.INVOKESTATIC || edges.get(pc)) {
                continue;
            }
            int ref = it.u16bitAt(pc + 1);
            if (!ACCESS.equals(cp.getMethodrefClassName(ref))) {
                continue;
            }
            Integer instruction = INSTRUCTIONS.get(cp.getMethodrefName(ref));
            if (instruction == null) {
                continue;
            }
            // The array is the first argument: the index (and the value written) lie above it.
            int above = parameterSlots(cp.getMethodrefType(ref)) - 1;
            int local = sourceLocal(it, cp, starts, i, above, targets);
            if (local >= 0) {
                found.add(new Site(pc, local, instruction)); // an ArrayAccess call, unchanged local
            }
        }
        return found;
    }

    static void branchTargets(CodeIterator it, int pc, BitSet targets) {
        int op = it.byteAt(pc);
        if (op >= Opcode.IFEQ && op <= Opcode.JSR || op == Opcode.IFNULL || op == Opcode.IFNONNULL) {
            targets.set(pc + it.s16bitAt(pc + 1));
        } else if (op == Opcode.GOTO_W || op == Opcode.JSR_W) {
            targets.set(pc + it.s32bitAt(pc + 1));
        } else if (op == Opcode.TABLESWITCH) {
            int a = (pc & ~3) + 4;
            targets.set(pc + it.s32bitAt(a));
            int low = it.s32bitAt(a + 4);
            int high = it.s32bitAt(a + 8);
            for (int k = 0; k <= high - low; k++) {
                targets.set(pc + it.s32bitAt(a + 12 + 4 * k));
            }
        } else if (op == Opcode.LOOKUPSWITCH) {
            int a = (pc & ~3) + 4;
            targets.set(pc + it.s32bitAt(a));
            int pairs = it.s32bitAt(a + 4);
            for (int k = 0; k < pairs; k++) {
                targets.set(pc + it.s32bitAt(a + 8 + 8 * k + 4));
            }
        }
    }

    /**
     * The local variable whose {@code aload} pushed the value that instruction {@code at} (of the list
     * {@code starts}) finds with {@code above} stack slots over it; or -1 if that is not sure: the walk back reaches
     * a branch target or an instruction it does not know, the value comes from anything but an {@code aload}, or
     * the local is written on the way.
     */
    static int sourceLocal(CodeIterator it, ConstPool cp, List<Integer> starts, int at, int above,
            BitSet targets) {
        int need = above;
        BitSet written = new BitSet();
        for (int j = at - 1; j >= 0; j--) {
            if (targets.get(starts.get(j + 1))) {
                return -1; // control may reach what follows from elsewhere
            }
            int pc = starts.get(j);
            int op = it.byteAt(pc);
            if (need == 0) {
                int local = aloadLocal(it, pc);
                if (local >= 0) {
                    return written.get(local) ? -1 : local;
                }
            }
            if (op == Opcode.DUP || op == Opcode.DUP2) {
                // Copies of the top slot or two: what lies at that depth after it is what lay there before.
                int copied = op == Opcode.DUP ? 1 : 2;
                need = need < 2 * copied ? need % copied : need - copied;
                continue;
            }
            int[] effect = effect(it, cp, pc, op, written);
            if (effect == null || need < effect[1]) {
                return -1;
            }
            need = need - effect[1] + effect[0];
        }
        return -1;
    }

    private static int aloadLocal(CodeIterator it, int pc) {
        return referenceLocal(it, pc, Opcode.ALOAD, Opcode.ALOAD_0);
    }

    /** The local of the {@code aload} or {@code astore} at {@code pc}: {@code longForm}, short forms from {@code op0}. */
    private static int referenceLocal(CodeIterator it, int pc, int longForm, int op0) {
        int at = it.byteAt(pc);
        if (at >= op0 && at <= op0 + 3) {
            return at - op0;
        }
        if (at == longForm) {
            return it.byteAt(pc + 1);
        }
        if (at == Opcode.WIDE && it.byteAt(pc + 1) == longForm) {
            return it.u16bitAt(pc + 2);
        }
        return -1;
    }

    /**
     * The stack slots an instruction pops and pushes, for the straight-line instructions an array index or a
     * stored value is made of; {@code null} for any other. Notes in {@code written} the locals it writes (both
     * slots of a long or double).
     */
    private static int[] effect(CodeIterator it, ConstPool cp, int pc, int op, BitSet written) {
        if (op == Opcode.NOP || op == Opcode.IINC) {
            if (op == Opcode.IINC) {
                written.set(it.byteAt(pc + 1));
            }
            return new int[] {0, 0};
        }
        if (op >= Opcode.ACONST_NULL && op <= Opcode.LDC2_W) {
            boolean wide = op == Opcode.LCONST_0 || op == Opcode.LCONST_1 || op == Opcode.DCONST_0
                    || op == Opcode.DCONST_1 || op == Opcode.LDC2_W;
            return new int[] {0, wide ? 2 : 1};
        }
        if (op >= Opcode.ILOAD && op <= Opcode.ALOAD_3) {
            int kind = op <= Opcode.ALOAD ? op - Opcode.ILOAD : (op - Opcode.ILOAD_0) / 4;
            return new int[] {0, kind == 1 || kind == 3 ? 2 : 1}; // i l f d a
        }
        if (op >= Opcode.IALOAD && op <= Opcode.SALOAD) {
            return new int[] {2, op == Opcode.LALOAD || op == Opcode.DALOAD ? 2 : 1};
        }
        if (op >= Opcode.ISTORE && op <= Opcode.ASTORE_3) {
            int kind;
            int local;
            if (op <= Opcode.ASTORE) {
                kind = op - Opcode.ISTORE;
                local = it.byteAt(pc + 1);
            } else {
                kind = (op - Opcode.ISTORE_0) / 4;
                local = (op - Opcode.ISTORE_0) % 4;
            }
            int size = kind == 1 || kind == 3 ? 2 : 1;
            written.set(local, local + size);
            return new int[] {size, 0};
        }
        if (op == Opcode.WIDE) {
            int real = it.byteAt(pc + 1);
            int local = it.u16bitAt(pc + 2);
            if (real == Opcode.IINC) {
                written.set(local);
                return new int[] {0, 0};
            }
            if (real >= Opcode.ILOAD && real <= Opcode.ALOAD) {
                int kind = real - Opcode.ILOAD;
                return new int[] {0, kind == 1 || kind == 3 ? 2 : 1};
            }
            if (real >= Opcode.ISTORE && real <= Opcode.ASTORE) {
                int kind = real - Opcode.ISTORE;
                int size = kind == 1 || kind == 3 ? 2 : 1;
                written.set(local, local + size);
                return new int[] {size, 0};
            }
            return null;
        }
        if (op >= Opcode.IADD && op <= Opcode.DREM) {
            int kind = (op - Opcode.IADD) % 4; // i l f d
            return kind == 1 || kind == 3 ? new int[] {4, 2} : new int[] {2, 1};
        }
        if (op >= Opcode.INEG && op <= Opcode.DNEG) {
            int kind = op - Opcode.INEG;
            return kind == 1 || kind == 3 ? new int[] {2, 2} : new int[] {1, 1};
        }
        if (op >= Opcode.ISHL && op <= Opcode.LUSHR) {
            return (op - Opcode.ISHL) % 2 == 1 ? new int[] {3, 2} : new int[] {2, 1};
        }
        if (op >= Opcode.IAND && op <= Opcode.LXOR) {
            return (op - Opcode.IAND) % 2 == 1 ? new int[] {4, 2} : new int[] {2, 1};
        }
        switch (op) {
            case Opcode.I2L: case Opcode.I2D: case Opcode.F2L: case Opcode.F2D:
                return new int[] {1, 2};
            case Opcode.I2F: case Opcode.F2I: case Opcode.I2B: case Opcode.I2C: case Opcode.I2S:
            case Opcode.ARRAYLENGTH: case Opcode.CHECKCAST: case Opcode.INSTANCEOF:
                return new int[] {1, 1};
            case Opcode.L2I: case Opcode.L2F: case Opcode.D2I: case Opcode.D2F:
                return new int[] {2, 1};
            case Opcode.L2D: case Opcode.D2L:
                return new int[] {2, 2};
            case Opcode.LCMP: case Opcode.DCMPL: case Opcode.DCMPG:
                return new int[] {4, 1};
            case Opcode.FCMPL: case Opcode.FCMPG:
                return new int[] {2, 1};
            default:
                break;
        }
        switch (op) {
            case Opcode.GETSTATIC:
                return new int[] {0, valueSlots(cp.getFieldrefType(it.u16bitAt(pc + 1)))};
            case Opcode.GETFIELD:
                return new int[] {1, valueSlots(cp.getFieldrefType(it.u16bitAt(pc + 1)))};
            case Opcode.INVOKESTATIC: {
                String desc = cp.getMethodrefType(it.u16bitAt(pc + 1));
                return new int[] {parameterSlots(desc), returnSlots(desc)};
            }
            case Opcode.INVOKEVIRTUAL: case Opcode.INVOKESPECIAL: {
                String desc = cp.getMethodrefType(it.u16bitAt(pc + 1));
                return new int[] {1 + parameterSlots(desc), returnSlots(desc)};
            }
            case Opcode.INVOKEINTERFACE: {
                String desc = cp.getInterfaceMethodrefType(it.u16bitAt(pc + 1));
                return new int[] {1 + parameterSlots(desc), returnSlots(desc)};
            }
            default:
                return null;
        }
    }

    /** Stack slots of a field or value descriptor. */
    private static int valueSlots(String desc) {
        char c = desc.charAt(0);
        return c == 'J' || c == 'D' ? 2 : c == 'V' ? 0 : 1;
    }

    private static int returnSlots(String methodDesc) {
        return valueSlots(methodDesc.substring(methodDesc.indexOf(')') + 1));
    }

    /** Stack slots of a method descriptor's parameters. */
    static int parameterSlots(String methodDesc) {
        return parameters(methodDesc, 0, new BitSet());
    }

    /**
     * Walks a method descriptor's parameters from slot {@code first}: notes in {@code references} the slots of
     * those of a reference type, and returns the slot after the last.
     */
    private static int parameters(String methodDesc, int first, BitSet references) {
        int slot = first;
        int i = 1;
        while (methodDesc.charAt(i) != ')') {
            char c = methodDesc.charAt(i);
            if (c == 'J' || c == 'D') {
                slot += 2;
                i++;
            } else if (c == 'L' || c == '[') {
                references.set(slot++);
                while (methodDesc.charAt(i) == '[') {
                    i++;
                }
                i = methodDesc.charAt(i) == 'L' ? methodDesc.indexOf(';', i) + 1 : i + 1;
            } else {
                slot++;
                i++;
            }
        }
        return slot;
    }

    // ---------------------------------------------------------------- the code of the guards

    static int astoreLocal(CodeIterator it, int pc) {
        return referenceLocal(it, pc, Opcode.ASTORE, Opcode.ASTORE_0);
    }

    /**
     * What runs where a guarded variable gets its value (a store, or the method's entry for a parameter): if the
     * runtime says its array needs no wait now ({@code Intercept.ready}, which never waits), it is noted as asked
     * for, so that a loop over it never takes the guard's slow path (and the JIT lifts the guard out of the loop);
     * else the next access asks. The count of task calls is read before the runtime is asked.
     */
    private static byte[] note(ConstPool cp, int local, int checkedArray, int checkedAt) {
        Bytecode b = new Bytecode(cp);
        b.addInvokestatic(INTERCEPT, "taskCallsNow", "()J");
        b.addLstore(checkedAt);
        b.addOpcode(Opcode.ACONST_NULL);
        b.addAstore(checkedArray);
        b.addAload(local);
        b.addInvokestatic(INTERCEPT, "ready", "(Ljava/lang/Object;)Z");
        b.addOpcode(Opcode.IFEQ);
        int toEnd = b.currentPc();
        b.addIndex(0);
        b.addAload(local);
        b.addAstore(checkedArray);
        b.write16bit(toEnd, b.currentPc() - (toEnd - 1));
        return b.get();
    }

    /**
     * The guard before an array instruction whose array (local {@code local}) lies on the stack under its index
     * and value: unless {@code checkedArray} holds that same array and {@code checkedAt} the count of task calls
     * now, ask the runtime for it and note both. The count is read before asking: a task called meanwhile makes
     * the next access ask again.
     */
    static byte[] guard(ConstPool cp, int local, int checkedArray, int checkedAt) {
        Bytecode b = new Bytecode(cp);
        b.addAload(local);
        b.addAload(checkedArray);
        b.addOpcode(Opcode.IF_ACMPNE);
        int toAsk = b.currentPc();
        b.addIndex(0);
        b.addGetstatic(INTERCEPT, "taskCalls", "J");
        b.addLload(checkedAt);
        b.addOpcode(Opcode.LCMP);
        b.addOpcode(Opcode.IFEQ);
        int toAccess = b.currentPc();
        b.addIndex(0);
        int ask = b.currentPc();
        b.addInvokestatic(INTERCEPT, "taskCallsNow", "()J");
        b.addAload(local);
        b.addInvokestatic(INTERCEPT, "use", "(Ljava/lang/Object;)V");
        b.addLstore(checkedAt);
        b.addAload(local);
        b.addAstore(checkedArray);
        int end = b.currentPc();
        b.write16bit(toAsk, ask - (toAsk - 1));
        b.write16bit(toAccess, end - (toAccess - 1));
        return b.get();
    }
}
