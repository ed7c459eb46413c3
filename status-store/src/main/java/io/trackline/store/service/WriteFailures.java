package io.trackline.store.service;

import com.fasterxml.jackson.core.JacksonException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.time.DateTimeException;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeoutException;

/**
 * Tells a failed write that will go away (the database is unreachable or busy: retry it, losing nothing) from one
 * the records cause (retrying would stop the partition for good: find the records and park them).
 *
 * <ul>
 * <li>Transient: no connection (refused, closed, reset, timed out, the pool cannot connect), SQLSTATE class 08
 * (connection exception), 53 (insufficient resources), 57 (operator intervention: admin shutdown, crash, cannot
 * connect now, query cancelled), 40 (serialization failure, deadlock).</li>
 * <li>Permanent: SQLSTATE class 22 (data exception: time out of range, invalid byte sequence, unsupported Unicode
 * escape, invalid text representation), 23 (integrity constraint), 54 (program limit, e.g. an index row too big),
 * and the usual exceptions of Java code that failed on a record's values (illegal argument, null pointer, class
 * cast, arithmetic, date-time, index out of bounds) while the statements were built.</li>
 * <li>Anything else (an undefined table or column, an internal error, a failure without a cause we know) is
 * treated as transient: it is more likely a deployment or database problem, which would otherwise park every
 * record one by one. It is retried, counted and logged, and a partition that stops moving turns readiness DOWN.</li>
 * </ul>
 */
public final class WriteFailures {

    private WriteFailures() {}

    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof UnstorableEventException) {
                return false;
            }
            if (t instanceof DatabaseException db && db.getSqlState() != null) {
                return !permanentSqlState(db.getSqlState());
            }
            if (connectionFailure(t)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return !javaFailureOnData(failure);
    }

    /** What to park a record with, for a failure that {@link #isTransient} calls permanent. */
    public static UnstorableEventException unstorable(Throwable failure) {
        if (failure instanceof UnstorableEventException u) {
            return u;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof DatabaseException db && db.getSqlState() != null) {
                String message = t instanceof PgException pg ? pg.getErrorMessage() : t.getMessage();
                return new UnstorableEventException(
                        UnstorableEventException.REJECTED_BY_DATABASE,
                        "PostgreSQL refused it: SQLSTATE " + db.getSqlState() + " " + message,
                        t);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return new UnstorableEventException(
                UnstorableEventException.UNPROCESSABLE,
                "status-store could not build its statements from it: " + failure,
                failure);
    }

    static boolean permanentSqlState(String state) {
        return state.startsWith("22") || state.startsWith("23") || state.startsWith("54");
    }

    /** Refused, reset or closed connections, connect and I/O timeouts (whatever the transport's own types are). */
    private static boolean connectionFailure(Throwable t) {
        if (t instanceof JacksonException || t instanceof CharacterCodingException) {
            return false; // I/O exceptions by type, about a record's content
        }
        return t instanceof IOException || t instanceof ClosedConnectionException || t instanceof TimeoutException;
    }

    private static boolean javaFailureOnData(Throwable t) {
        return t instanceof IllegalArgumentException
                || t instanceof NullPointerException
                || t instanceof ClassCastException
                || t instanceof ArithmeticException
                || t instanceof DateTimeException
                || t instanceof IndexOutOfBoundsException
                || t instanceof ArrayStoreException
                || t instanceof NoSuchElementException
                || t instanceof UnsupportedOperationException;
    }
}
