package io.trackline.pollers.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.trackline.pollers.service.SubscriptionProblem;
import java.util.List;

/**
 * JSON body of every error answer, as the rest of Trackline answers: a stable code and a message for people; a
 * refused subscription request adds its {@code problems}, each with the index of its item.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(String code, String message, List<Problem> problems) {

    public ErrorBody(String code, String message) {
        this(code, message, null);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Problem(Integer index, String field, String message) {

        static Problem of(SubscriptionProblem problem) {
            return new Problem(problem.index(), problem.field(), problem.message());
        }
    }
}
