package dev.jwal.core;

import dev.jwal.core.io.DiskFile;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link SyncPolicy#GROUP}'s bookkeeping: which saves are written and which are durable, and who
 * syncs next. Every save that needs a sync takes a ticket, in write order. A caller that finds no
 * sync under way leads one on its own thread: it writes everything buffered with one write, lets
 * go of the WAL's lock for the fdatasync, so that others keep appending, and then marks every
 * ticket written before it durable. Callers that find a sync under way wait for it and for the
 * next, which covers them. A lone writer therefore never hands off to another thread.
 *
 * <p>Asynchronous saves queue a future per ticket; one completer thread, started on the first,
 * leads syncs for them when no caller does and completes the futures in ticket order, outside
 * the lock, so that callbacks may save again.
 *
 * <p>Everything here runs under the WAL's lock, except the fdatasync itself and the completions.
 */
final class GroupCommit {

    /** What the group commit needs of the WAL it serves; called with the lock held. */
    interface Log {

        /** Writes every buffered byte to the tail, returning the tail. */
        DiskFile flushTail() throws IOException;

        /** fdatasyncs a segment, timing it; called without the lock. */
        void sync(DiskFile file) throws IOException;

        /** Poisons the WAL with this failure, returning the error to throw. */
        WalException poison(String action, Throwable failure);

        /** Why no more can be made durable (poisoned, closed), or null when all is well. */
        WalException refusal();
    }

    private record Pending(long ticket, CompletableFuture<Void> future) {
    }

    private final ReentrantLock lock;
    private final Condition synced;
    private final Condition arrived;
    private final Condition work;
    private final Log log;
    private final WalListener listener;
    private final long waitNanos;
    private final long maxBytes;
    private final String name;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();

    /** A thread parked until its save is durable, or until it is asked to lead the next sync. */
    private static final class Waiter {
        final long ticket;
        final Thread thread = Thread.currentThread();
        volatile boolean lead;

        Waiter(long ticket) {
            this.ticket = ticket;
        }
    }

    /** Parked sync savers, woken one by one: only those a sync covered, and the next leader. */
    private final java.util.List<Waiter> waiters = new ArrayList<>();

    private long written;
    /** Read without the lock by parked waiters; written under it. */
    private volatile long durable;
    /** Set once the WAL is poisoned or closed, so that parked waiters wake and find out why. */
    private volatile boolean refusedFlag;
    private long bytesSinceSync;
    private boolean syncInFlight;
    private boolean stopping;
    /** The completer is running callbacks of futures it took from the queue. */
    private boolean completing;
    private Thread completer;

    GroupCommit(ReentrantLock lock, Log log, WalListener listener, Duration wait, long maxBytes, String name) {
        this.lock = lock;
        this.synced = lock.newCondition();
        this.arrived = lock.newCondition();
        this.work = lock.newCondition();
        this.log = log;
        this.listener = listener;
        this.waitNanos = wait.toNanos();
        this.maxBytes = maxBytes;
        this.name = name;
    }

    /** Records a save of {@code bytes} just written to the buffer; returns its ticket. */
    long written(long bytes) {
        written++;
        bytesSinceSync += bytes;
        if (syncInFlight && waitNanos > 0) {
            arrived.signal();
        }
        return written;
    }

    /** Everything written so far is durable: a cut, an explicit sync or a close synced it. */
    void allDurable() {
        lock.lock(); // held already, but while the WAL is being created
        try {
            durable = written;
            bytesSinceSync = 0;
            // every waiter is covered now: all are woken, none is asked to lead
            wakeWaiters();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether an asynchronous save of {@code ticket} may be answered with a completed future:
     * it is durable, and no earlier future is still to be completed, so that order holds.
     */
    boolean completesNow(long ticket) {
        return durable >= ticket && pending.isEmpty() && !completing;
    }

    /**
     * Returns once {@code ticket} is durable, leading a sync when none is under way; called
     * without the lock. A waiter parks on its own and is woken only when a sync covered it, or to
     * lead the next one, so that a sync wakes no thread it did not serve.
     */
    void awaitDurable(long ticket) {
        while (durable < ticket) {
            Waiter me;
            lock.lock();
            try {
                if (durable >= ticket) {
                    return;
                }
                WalException refusal = log.refusal();
                if (refusal != null) {
                    throw refusal;
                }
                if (!syncInFlight) {
                    lead();
                    continue;
                }
                me = new Waiter(ticket);
                waiters.add(me);
            } finally {
                lock.unlock();
            }
            while (durable < ticket && !me.lead && !refusedFlag) {
                LockSupport.park(this);
            }
            if (refusedFlag && durable < ticket && !me.lead) {
                lock.lock();
                try {
                    waiters.remove(me);
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /** A future completed when {@code ticket} is durable, or failed when it cannot become so. */
    CompletableFuture<Void> enqueue(long ticket) {
        CompletableFuture<Void> future = new DurableFuture(ticket);
        pending.addLast(new Pending(ticket, future));
        if (completer == null) {
            completer = new Thread(this::complete, "jwal-group-commit-" + name);
            completer.setDaemon(true);
            completer.start();
        }
        work.signal();
        return future;
    }

    /** Waits until no sync is under way, so that the caller may close segment files. */
    void awaitIdle() {
        while (syncInFlight) {
            synced.awaitUninterruptibly();
        }
    }

    /**
     * Before a close: a sync still gathering saves stops waiting for more, and the one under way
     * is waited for.
     */
    void quiesce() {
        stopping = true;
        arrived.signalAll();
        awaitIdle();
    }

    /** Wakes waiters after the WAL was poisoned or closed. */
    void refused() {
        lock.lock(); // held already, but while the WAL is being created
        try {
            refusedFlag = true;
            for (Waiter waiter : waiters) {
                LockSupport.unpark(waiter.thread);
            }
            waiters.clear();
            synced.signalAll();
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Asks the completer to finish what is queued and stop; returns it, for the caller to join
     * once it has let go of the lock.
     */
    Thread stop() {
        stopping = true;
        refused();
        return completer;
    }

    /** Leads one group sync. Called with the lock held, which is released during the fdatasync. */
    private void lead() {
        syncInFlight = true;
        try {
            gather();
            long target = written;
            int batch = (int) (target - durable);
            int queued = waiters.size() + pending.size();
            DiskFile tail;
            try {
                tail = log.flushTail();
            } catch (IOException | RuntimeException e) {
                throw log.poison("writing a group to", e);
            }
            bytesSinceSync = 0;
            Throwable failure = null;
            lock.unlock();
            try {
                log.sync(tail);
            } catch (IOException | RuntimeException e) {
                failure = e;
            } finally {
                lock.lock();
            }
            if (failure != null) {
                throw log.poison("syncing a group in", failure);
            }
            if (target > durable) {
                durable = target;
            }
            listener.groupCommitted(batch, queued);
        } finally {
            syncInFlight = false;
            wakeWaiters();
        }
    }

    /**
     * After a sync: unparks the waiters it covered, asks the oldest of the others to lead the
     * next, and, when no saver is left to lead, the completer (for queued futures).
     */
    private void wakeWaiters() {
        Waiter next = null;
        for (java.util.Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
            Waiter waiter = it.next();
            if (waiter.ticket <= durable || refusedFlag) {
                it.remove();
                LockSupport.unpark(waiter.thread);
            } else if (next == null || waiter.ticket < next.ticket) {
                next = waiter;
            }
        }
        if (next != null) {
            waiters.remove(next);
            next.lead = true;
            LockSupport.unpark(next.thread);
        }
        synced.signalAll();
        work.signal();
    }

    /** With a group wait set, lets more saves join until the wait ends or the batch is full. */
    private void gather() {
        if (waitNanos <= 0) {
            return;
        }
        long remaining = waitNanos;
        while (remaining > 0 && bytesSinceSync < maxBytes && !stopping && log.refusal() == null) {
            try {
                remaining = arrived.awaitNanos(remaining);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Called by a thread about to wait on the future of {@code ticket}: when no sync is under
     * way, rather than hand off to the completer, it leads one itself and completes the futures
     * that are durable, in order, unless someone else is completing them. A lone writer that
     * saves asynchronously and waits thus pays no hand-off. When a sync is under way, it waits on
     * the future as anyone would; the completer completes it.
     */
    void help(CompletableFuture<Void> future, long ticket) {
        List<Pending> done = new ArrayList<>();
        lock.lock();
        try {
            if (future.isDone()) {
                return;
            }
            if (durable < ticket) {
                if (syncInFlight || log.refusal() != null) {
                    return; // a sync is under way: the completer completes this future after it
                }
                try {
                    lead();
                } catch (WalException poisoned) {
                    return;
                }
            }
            if (!completing) {
                drainDurable(done);
                completeOutsideLock(done, null);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The completer thread: leads syncs for queued futures and completes them in order. */
    private void complete() {
        List<Pending> done = new ArrayList<>();
        lock.lock();
        try {
            while (true) {
                if (!completing && !pending.isEmpty() && pending.peekFirst().ticket() <= durable) {
                    drainDurable(done);
                    completeOutsideLock(done, null);
                } else if (pending.isEmpty()) {
                    if (stopping) {
                        return;
                    }
                    work.awaitUninterruptibly();
                } else if (completing || syncInFlight) {
                    work.awaitUninterruptibly();
                } else {
                    WalException refusal = log.refusal();
                    if (refusal != null) {
                        done.addAll(pending);
                        pending.clear();
                        completeOutsideLock(done, refusal);
                        continue;
                    }
                    try {
                        lead();
                    } catch (WalException e) {
                        // poisoned: the next round fails what is queued
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Moves the queued futures that are durable, from the head, to {@code done}. */
    private void drainDurable(List<Pending> done) {
        while (!pending.isEmpty() && pending.peekFirst().ticket() <= durable) {
            done.add(pending.pollFirst());
        }
    }

    /**
     * Completes futures in order without the lock, so that callbacks may save again; while it
     * runs no one else completes any, which keeps the order.
     */
    private void completeOutsideLock(List<Pending> done, WalException failure) {
        completing = true;
        lock.unlock();
        try {
            for (Pending saved : done) {
                if (failure == null) {
                    saved.future().complete(null);
                } else {
                    saved.future().completeExceptionally(failure);
                }
            }
        } finally {
            done.clear();
            lock.lock();
            completing = false;
            synced.signalAll();
            work.signal();
        }
    }

    /** A save's future: waiting on it with {@link #join()} or {@link #get()} helps it along. */
    private final class DurableFuture extends CompletableFuture<Void> {
        private final long ticket;

        DurableFuture(long ticket) {
            this.ticket = ticket;
        }

        @Override
        public Void join() {
            help(this, ticket);
            return super.join();
        }

        @Override
        public Void get() throws InterruptedException, ExecutionException {
            help(this, ticket);
            return super.get();
        }

        @Override
        public <U> CompletableFuture<U> newIncompleteFuture() {
            return new Dependent<>(this);
        }
    }

    /**
     * A stage that depends on a save's future ({@code thenApply}, {@code thenCompose}, ...):
     * waiting on it helps the save along as waiting on the save itself does, so a caller that
     * joins a chain pays no hand-off either.
     */
    private final class Dependent<T> extends CompletableFuture<T> {
        private final DurableFuture save;

        Dependent(DurableFuture save) {
            this.save = save;
        }

        @Override
        public T join() {
            help(save, save.ticket);
            return super.join();
        }

        @Override
        public T get() throws InterruptedException, ExecutionException {
            help(save, save.ticket);
            return super.get();
        }

        @Override
        public <U> CompletableFuture<U> newIncompleteFuture() {
            return new Dependent<>(save);
        }
    }
}
