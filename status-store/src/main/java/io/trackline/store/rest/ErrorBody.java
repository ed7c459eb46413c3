package io.trackline.store.rest;

/** JSON body of every error answer: a stable code and a message for people. */
public record ErrorBody(String code, String message) {}
