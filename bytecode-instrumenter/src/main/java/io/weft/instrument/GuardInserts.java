package io.weft.instrument;

import java.util.ArrayList;
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
import javassist.bytecode.MethodInfo;
import javassist.bytecode.Opcode;

/**
 * What {@link ArrayGuards} and {@link UseGuards} share: each guarded variable gets three new local slots (the object
 * last asked for, and the count of task calls then, a long); each guarded call gets code before it and is
 * overwritten; each store into a guarded variable's slot gets code after it; and the guards' slots are set where
 * the method's body starts. The two passes say what that code is ({@link Code}).
 */
final class GuardInserts {
    private GuardInserts() {}

    /**
     * Inserts by position, the last first; at one position, the higher kind first. A class rather than a lambda:
     * rewriting runs before {@code main}, while the JVM interprets, where each lambda costs a class spun at run time.
     */
    private static final java.util.Comparator<int[]> LAST_FIRST = new java.util.Comparator<>() {
        @Override
        public int compare(int[] x, int[] y) {
            return x[0] != y[0] ? Integer.compare(y[0], x[0]) : Integer.compare(y[1], x[1]);
        }
    };

    /**
     * A guarded call at {@code pc}, three bytes, of a variable {@code local}: the call is overwritten with
     * {@code replacement} (the instruction it stood for, or a {@code nop}) and two {@code nop}s.
     */
    record Site(int pc, int local, int replacement) {}

    /** The code each pass inserts, given the first of a variable's three guard slots. */
    interface Code {
        /** Before a guarded call. */
        byte[] site(Site site, int checked);

        /** After a store into the variable's slot; {@code reference} for a reference stored into it. */
        byte[] store(int local, int checked, boolean reference);

        /** Where the body starts. */
        byte[] entry(int local, int checked);
    }

    /** Rewrites a method's code, and puts back the code it had if the rewrite or the new stack map fails. */
    static void rewriteOrRestore(MethodInfo method, ClassFile file, ClassPool pool, List<Site> sites, int body,
            Code code) {
        CodeAttribute attribute = method.getCodeAttribute();
        CodeAttribute saved = (CodeAttribute) attribute.copy(method.getConstPool(), null);
        try {
            rewrite(attribute, sites, body, code);
            method.rebuildStackMapIf6(pool, file);
        } catch (BadBytecode | RuntimeException e) {
            method.setCodeAttribute(saved);
        }
    }

    private static void rewrite(CodeAttribute code, List<Site> sites, int body, Code how) throws BadBytecode {
        Map<Integer, Integer> guards = new HashMap<>();
        int next = code.getMaxLocals();
        for (Site s : sites) {
            if (!guards.containsKey(s.local)) {
                guards.put(s.local, next);
                next += 3;
            }
        }
        code.setMaxLocals(next);
        // Where code goes in: before each guarded call, and after each store into a guarded variable's slot.
        // {position, what: 0 after a store, 1 after a reference store into the variable, 2 a site; the site's index
        // or the variable}
        List<int[]> inserts = new ArrayList<>();
        for (int i = 0; i < sites.size(); i++) {
            inserts.add(new int[] {sites.get(i).pc, 2, i});
        }
        CodeIterator it = code.iterator();
        while (it.hasNext()) {
            int pc = it.next();
            int[] stored = ArrayGuards.stored(it, pc);
            if (stored == null || pc < body) {
                continue;
            }
            for (int local = stored[0]; local < stored[0] + stored[1]; local++) {
                if (guards.containsKey(local)) {
                    boolean reference = stored[2] == 1 && local == stored[0];
                    inserts.add(new int[] {it.lookAhead(), reference ? 1 : 0, local});
                }
            }
        }
        // From the last position back, as inserting code moves only what follows; at one position the site's code
        // goes in first, so that what is inserted there after it runs before it.
        inserts.sort(LAST_FIRST);
        for (int[] insert : inserts) {
            if (insert[1] == 2) {
                Site s = sites.get(insert[2]);
                byte[] guard = how.site(s, guards.get(s.local));
                CodeIterator.Gap gap = it.insertGapAt(s.pc, guard.length, false);
                it.write(guard, gap.position);
                int call = gap.position + gap.length; // the guarded call, three bytes
                it.writeByte(s.replacement, call);
                it.writeByte(Opcode.NOP, call + 1);
                it.writeByte(Opcode.NOP, call + 2);
            } else {
                byte[] after = how.store(insert[2], guards.get(insert[2]), insert[1] == 1);
                CodeIterator.Gap gap = it.insertGapAt(insert[0], after.length, true);
                it.write(after, gap.position);
            }
        }
        Bytecode init = new Bytecode(code.getConstPool());
        for (Map.Entry<Integer, Integer> g : guards.entrySet()) {
            for (byte x : how.entry(g.getKey(), g.getValue())) {
                init.add(x & 0xff);
            }
        }
        byte[] entry = init.get();
        CodeIterator.Gap gap = it.insertGapAt(body, entry.length, true);
        it.write(entry, gap.position);
        code.computeMaxStack(); // and sets it
    }

    /** Forgets the object a guard holds: its variable's slot now holds something else. */
    static byte[] clear(ConstPool cp, int checked) {
        Bytecode b = new Bytecode(cp);
        b.addOpcode(Opcode.ACONST_NULL);
        b.addAstore(checked);
        return b.get();
    }

    /** A guard that holds nothing yet (the verifier wants every local set before it is read). */
    static byte[] unset(ConstPool cp, int checked) {
        Bytecode b = new Bytecode(cp);
        b.addOpcode(Opcode.ACONST_NULL);
        b.addAstore(checked);
        b.addOpcode(Opcode.LCONST_0);
        b.addLstore(checked + 1);
        return b.get();
    }
}
