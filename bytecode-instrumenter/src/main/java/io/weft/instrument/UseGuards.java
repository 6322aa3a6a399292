package io.weft.instrument;

import io.weft.instrument.GuardInserts.Site;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import javassist.ClassPool;
import javassist.bytecode.BadBytecode;
import javassist.bytecode.Bytecode;
import javassist.bytecode.ClassFile;
import javassist.bytecode.CodeAttribute;
import javassist.bytecode.CodeIterator;
import javassist.bytecode.ConstPool;
import javassist.bytecode.MethodInfo;
import javassist.bytecode.Opcode;

/**
 * Lets the {@code Intercept.use} calls that the editor put before the uses of an object held in a local variable
 * (a call on it, a field access, an argument passed to code that is not a task) skip the runtime when the
 * variable's object was asked for before and no task was called since.
 *
 * <p>While any task is in flight, each such use asks the runtime whether its object is task data: a loop of the
 * program's own calling methods on a list and on an object of its own ran some 30 times slower than without the
 * agent. Only a task called since can make an object wait that did not ({@link ArrayGuards} says why), so each
 * such variable gets two new locals, the object last asked for through it and the count of task calls then
 * ({@code Intercept.taskCalls}); a use asks again only for another object or after a task call. A store of any
 * kind into the variable's slot clears the first, so that it keeps an object alive no longer than the variable did
 * (but for the rest of the method call, in interpreted code, where the variable is not stored into again).
 */
final class UseGuards {
    private UseGuards() {}

    /** At most this many local variables get a guard in one method: three new local slots each. */
    static final int MOST_LOCALS = 16;
    private static final String INTERCEPT = "io.weft.api.spi.Intercept";

    /**
     * Guards the uses of a method the editor rewrote.
     *
     * @param userLocals the method's local slots before the rewrite: higher ones are the editor's temporaries
     */
    static void apply(MethodInfo method, ClassFile file, ClassPool pool, int userLocals) {
        CodeAttribute code = method.getCodeAttribute();
        if (code == null) {
            return;
        }
        ConstPool cp = method.getConstPool();
        List<Site> sites;
        int body;
        try {
            body = ArrayGuards.bodyStart(method, code);
            sites = body < 0 ? List.of() : find(code, cp, userLocals, body);
        } catch (BadBytecode | RuntimeException e) {
            return;
        }
        if (sites.isEmpty()) {
            return;
        }
        BitSet guarded = new BitSet();
        for (Site site : sites) {
            guarded.set(site.local());
        }
        if (!ArrayGuards.fits(code, 48L * sites.size() + 16L * ArrayGuards.storesInto(code, guarded)
                + 16L * guarded.cardinality(), 3 * guarded.cardinality())) {
            return;
        }
        // The use call goes; any store into the variable's slot clears its guard; no object is asked for at first.
        GuardInserts.rewriteOrRestore(method, file, pool, sites, body, new GuardInserts.Code() {
            @Override
            public byte[] site(Site site, int checked) {
                return guard(cp, checked, checked + 1);
            }

            @Override
            public byte[] store(int local, int checked, boolean reference) {
                return GuardInserts.clear(cp, checked);
            }

            @Override
            public byte[] entry(int local, int checked) {
                return GuardInserts.unset(cp, checked);
            }
        });
    }

    /** The {@code Intercept.use} calls whose object comes from a local variable of the program's, with it. */
    private static List<Site> find(CodeAttribute code, ConstPool cp, int userLocals, int body)
            throws BadBytecode {
        ArrayGuards.Scan scan = ArrayGuards.scan(code);
        CodeIterator it = scan.it();
        List<Integer> starts = scan.starts();
        BitSet targets = scan.targets();
        BitSet edges = scan.edges();
        List<Site> sites = new ArrayList<>();
        BitSet locals = new BitSet();
        for (int i = 0; i < starts.size() - 1; i++) {
            int pc = starts.get(i);
            if (pc < body || it.byteAt(pc) != Opcode.INVOKESTATIC || edges.get(pc) || targets.get(pc)) {
                continue;
            }
            int ref = it.u16bitAt(pc + 1);
            if (!INTERCEPT.equals(cp.getMethodrefClassName(ref)) || !"use".equals(cp.getMethodrefName(ref))
                    || !"(Ljava/lang/Object;)V".equals(cp.getMethodrefType(ref))) {
                continue;
            }
            int next = starts.get(i + 1);
            if (next < code.getCodeLength() && isLstore(it, next)) {
                continue; // the slow path of an array guard, which keeps its own
            }
            int local = local(it, cp, starts, i, targets, userLocals);
            if (local >= 0 && (locals.get(local) || locals.cardinality() < MOST_LOCALS)) {
                locals.set(local);
                sites.add(new Site(pc, local, Opcode.NOP)); // the use call goes: its guard makes it
            }
        }
        return sites;
    }

    private static boolean isLstore(CodeIterator it, int pc) {
        int op = it.byteAt(pc);
        return op == Opcode.LSTORE || op >= Opcode.LSTORE_0 && op <= Opcode.LSTORE_3
                || op == Opcode.WIDE && it.byteAt(pc + 1) == Opcode.LSTORE;
    }

    /**
     * The program's local variable whose object the use at instruction {@code at} is handed, straight or through
     * one of the editor's temporaries; -1 if that is not sure.
     */
    private static int local(CodeIterator it, ConstPool cp, List<Integer> starts, int at, BitSet targets,
            int userLocals) {
        int loaded = ArrayGuards.sourceLocal(it, cp, starts, at, 0, targets);
        if (loaded < 0 || loaded < userLocals) {
            return loaded;
        }
        // A temporary: what was stored into it last, in the same straight-line code.
        for (int j = at - 1; j >= 0; j--) {
            if (targets.get(starts.get(j + 1))) {
                return -1;
            }
            if (ArrayGuards.astoreLocal(it, starts.get(j)) == loaded) {
                int stored = ArrayGuards.sourceLocal(it, cp, starts, j, 0, targets);
                return stored >= 0 && stored < userLocals ? stored : -1;
            }
        }
        return -1;
    }

    /**
     * The guard that stands for a use, with its object on the stack: unless {@code checkedObject} holds that same
     * object and {@code checkedAt} the count of task calls now, ask the runtime for it and note both, once it has
     * answered. It keeps the object on the stack only, never in a local of its own.
     */
    private static byte[] guard(ConstPool cp, int checkedObject, int checkedAt) {
        Bytecode b = new Bytecode(cp);
        b.addOpcode(Opcode.DUP); // obj obj
        b.addAload(checkedObject); // obj obj checked
        b.addOpcode(Opcode.IF_ACMPNE); // obj
        int toAsk = b.currentPc();
        b.addIndex(0);
        b.addGetstatic(INTERCEPT, "taskCalls", "J"); // obj count
        b.addLload(checkedAt); // obj count at
        b.addOpcode(Opcode.LCMP); // obj cmp
        b.addOpcode(Opcode.IFNE); // obj
        int toAsk2 = b.currentPc();
        b.addIndex(0);
        b.addOpcode(Opcode.POP);
        b.addOpcode(Opcode.GOTO);
        int toEnd = b.currentPc();
        b.addIndex(0);
        int ask = b.currentPc(); // obj
        b.addInvokestatic(INTERCEPT, "taskCallsNow", "()J"); // obj now
        b.addOpcode(Opcode.DUP2_X1); // now obj now
        b.addOpcode(Opcode.POP2); // now obj
        b.addOpcode(Opcode.DUP); // now obj obj
        b.addInvokestatic(INTERCEPT, "use", "(Ljava/lang/Object;)V"); // now obj
        b.addAstore(checkedObject); // now
        b.addLstore(checkedAt);
        int end = b.currentPc();
        b.write16bit(toAsk, ask - (toAsk - 1));
        b.write16bit(toAsk2, ask - (toAsk2 - 1));
        b.write16bit(toEnd, end - (toEnd - 1));
        return b.get();
    }
}
