package io.trackline.sim.service;

/** A request to the simulator's own API that cannot be served: an HTTP status and a stable error code. */
public class SimException extends RuntimeException {

    private final int status;
    private final String code;

    public SimException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
