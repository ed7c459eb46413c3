package io.trackline.pollers.repository;

import java.sql.SQLException;

/**
 * PostgreSQL refused or could not be reached; {@link #isTransient()} tells whether trying again may help (connection
 * lost or refused, server shutting down, out of resources, serialization failure or deadlock) or the statement
 * itself is refused (a value PostgreSQL cannot hold, a constraint).
 */
public class RepositoryException extends RuntimeException {

    public RepositoryException(String message, SQLException cause) {
        super(message + ": " + cause.getMessage(), cause);
    }

    /** The SQLSTATE of the failure, or null when the driver gave none (an I/O failure before any answer). */
    public String sqlState() {
        return getCause() instanceof SQLException e ? e.getSQLState() : null;
    }

    public boolean isTransient() {
        String state = sqlState();
        if (state == null || state.length() < 2) {
            return true;
        }
        String sqlClass = state.substring(0, 2);
        return switch (sqlClass) {
            case "08", "53", "57" -> true; // connection, insufficient resources, operator intervention
            case "40" -> true; // serialization failure, deadlock
            default -> false;
        };
    }
}
