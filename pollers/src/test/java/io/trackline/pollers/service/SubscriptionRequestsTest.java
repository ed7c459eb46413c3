package io.trackline.pollers.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.trackline.events.Carrier;
import io.trackline.events.TracklineJson;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SubscriptionRequestsTest {

    static final ConfiguredAccounts ACCOUNTS = new ConfiguredAccounts(Map.of(
            Carrier.ALL24, Set.of("demo"),
            Carrier.EXPRESS247, Set.of("demo", "second"),
            Carrier.MRSPEEDY, Set.of("demo")));

    static JsonNode json(String text) {
        try {
            return TracklineJson.mapper().readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static List<SubscriptionProblem> problems(String body) {
        return catchThrowableOfType(
                        InvalidSubscriptionsException.class, () -> SubscriptionRequests.parse(json(body), ACCOUNTS))
                .problems();
    }

    static String one(String carrier, String reference) {
        return "{'carrier':'" + carrier + "','account':'demo','reference':'" + reference + "'}";
    }

    @Test
    void aValidItemOfEachCarrier() {
        List<SubscriptionRequests.Item> items = SubscriptionRequests.parse(
                json("[{'carrier':'all24','account':'demo','reference':'HSBY37H7'},"
                        + "{'carrier':'all24','account':'demo','reference':'TP00000042','customer_id':'12345'},"
                        + "{'carrier':'247express','account':'second','reference':' EX247-0000001 ','x':1},"
                        + "{'carrier':'MrSpeedy','account':'demo','reference':1250032}]"),
                ACCOUNTS);
        assertThat(items)
                .containsExactly(
                        new SubscriptionRequests.Item(Carrier.ALL24, "demo", "HSBY37H7", null),
                        new SubscriptionRequests.Item(Carrier.ALL24, "demo", "TP00000042", "12345"),
                        new SubscriptionRequests.Item(Carrier.EXPRESS247, "second", "EX247-0000001", null),
                        new SubscriptionRequests.Item(Carrier.MRSPEEDY, "demo", "1250032", null));
    }

    @ParameterizedTest
    @CsvSource({
        // 247Express order codes: 5 to 20 of letters, digits, _ and -
        "247express, ABCD, ORDERCODE_MIN_LENGTH",
        "247express, ABCDEFGHIJ0123456789X, ORDERCODE_MAX_LENGTH",
        "247express, ABC.DE, ORDERCODE_FORMAT_EXCEPTION",
        "247express, ABC DE, ORDERCODE_FORMAT_EXCEPTION",
        "247express, ABCDÉ, ORDERCODE_FORMAT_EXCEPTION",
        // MrSpeedy order ids: positive integers
        "mrspeedy, 0, positive integer",
        "mrspeedy, -5, positive integer",
        "mrspeedy, 012, positive integer",
        "mrspeedy, 12a, positive integer",
        "mrspeedy, 1.5, positive integer",
        "mrspeedy, 99999999999999999999, positive integer",
        // all24 tracking numbers: 4 to 40 of letters, digits, _, - and .
        "all24, HSB, 4 to 40 characters",
        "all24, HSBY37H7HSBY37H7HSBY37H7HSBY37H7HSBY37H7X, 4 to 40 characters",
        "all24, HSBY/37H7, letters",
        "all24, HSBY%37H7, letters",
        "all24, HSBY:37H7, letters",
    })
    void anInvalidReferenceIsNamedWithTheRule(String carrier, String reference, String rule) {
        assertThat(problems(one(carrier, reference))).singleElement().satisfies(p -> {
            assertThat(p.index()).isNull();
            assertThat(p.field()).isEqualTo("reference");
            assertThat(p.message()).contains(rule);
        });
    }

    @Test
    void theBoundsThemselvesAreValid() {
        SubscriptionRequests.parse(json(one("247express", "ABCDE")), ACCOUNTS);
        SubscriptionRequests.parse(json(one("247express", "A_-3456789012345678Z")), ACCOUNTS);
        SubscriptionRequests.parse(json(one("mrspeedy", "9223372036854775807")), ACCOUNTS);
        SubscriptionRequests.parse(json(one("all24", "HSB7")), ACCOUNTS);
    }

    @Test
    void customerIdBelongsToAll24ThirdPartyNumbersOnly() {
        assertThat(problems("{'carrier':'247express','account':'demo','reference':'ABCDE','customer_id':'12345'}"))
                .singleElement()
                .satisfies(p -> assertThat(p.field()).isEqualTo("customer_id"));
        assertThat(problems("{'carrier':'all24','account':'demo','reference':'TP1234','customer_id':'12 45'}"))
                .singleElement()
                .satisfies(p -> assertThat(p.field()).isEqualTo("customer_id"));
        assertThat(SubscriptionRequests.parse(
                                json("{'carrier':'all24','account':'demo','reference':'TP1234','customer_id':12345}"),
                                ACCOUNTS)
                        .get(0)
                        .customerId())
                .isEqualTo("12345");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{'carrier':'fedex','account':'demo','reference':'ABCDE'}|carrier",
                "{'account':'demo','reference':'ABCDE'}|carrier",
                "{'carrier':7,'account':'demo','reference':'ABCDE'}|carrier",
                "{'carrier':'247express','account':'nobody','reference':'ABCDE'}|account",
                "{'carrier':'247express','account':'no such','reference':'ABCDE'}|account",
                "{'carrier':'247express','reference':'ABCDE'}|account",
                "{'carrier':'247express','account':'demo'}|reference",
                "{'carrier':'247express','account':'demo','reference':'  '}|reference",
                "{'carrier':'247express','account':'demo','reference':12345}|reference",
            })
    void eachFieldIsChecked(String bodyAndField) {
        String[] parts = bodyAndField.split("\\|");
        assertThat(problems(parts[0]))
                .singleElement()
                .satisfies(p -> assertThat(p.field()).isEqualTo(parts[1]));
    }

    @Test
    void aBatchListsEveryProblemWithItsIndex() {
        List<SubscriptionProblem> problems = problems("[" + one("247express", "GOOD-CODE") + ","
                + one("247express", "BAD") + ","
                + "'not an object',"
                + one("mrspeedy", "x") + ","
                + "{'carrier':'fedex'}]");
        assertThat(problems)
                .extracting(SubscriptionProblem::index, SubscriptionProblem::field)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, "reference"),
                        org.assertj.core.groups.Tuple.tuple(2, null),
                        org.assertj.core.groups.Tuple.tuple(3, "reference"),
                        org.assertj.core.groups.Tuple.tuple(4, "carrier"),
                        org.assertj.core.groups.Tuple.tuple(4, "account"),
                        org.assertj.core.groups.Tuple.tuple(4, "reference"));
    }

    @Test
    void aBatchHoldsAtMostOneThousand() {
        ArrayNode batch = TracklineJson.mapper().createArrayNode();
        for (int i = 0; i < SubscriptionRequests.MAX_BATCH; i++) {
            batch.add(json(one("mrspeedy", String.valueOf(1_000_000 + i))));
        }
        assertThat(SubscriptionRequests.parse(batch, ACCOUNTS)).hasSize(1000);
        batch.add(json(one("mrspeedy", "1")));
        InvalidSubscriptionsException refused = catchThrowableOfType(
                InvalidSubscriptionsException.class, () -> SubscriptionRequests.parse(batch, ACCOUNTS));
        assertThat(refused.code()).isEqualTo("too_many_subscriptions");
        assertThat(refused.getMessage()).contains("at most 1000").contains("1001");
    }

    @Test
    void theSameShipmentTwiceIsHarmlessUnlessItSaysTwoThings() {
        assertThat(SubscriptionRequests.parse(
                        json("[" + one("all24", "HSBY37H7") + "," + one("all24", "HSBY37H7") + "]"), ACCOUNTS))
                .hasSize(2);
        assertThat(problems("[" + one("all24", "TP1234")
                        + ",{'carrier':'all24','account':'demo','reference':'TP1234','customer_id':'9'}]"))
                .singleElement()
                .satisfies(p -> {
                    assertThat(p.index()).isEqualTo(1);
                    assertThat(p.message()).contains("item 0");
                });
    }

    @Test
    void emptyAndOtherBodiesAreRefused() {
        assertThat(catchThrowableOfType(
                                InvalidSubscriptionsException.class,
                                () -> SubscriptionRequests.parse(json("[]"), ACCOUNTS))
                        .getMessage())
                .contains("no subscription");
        assertThat(catchThrowableOfType(
                                InvalidSubscriptionsException.class,
                                () -> SubscriptionRequests.parse(json("'text'"), ACCOUNTS))
                        .getMessage())
                .contains("object or an array");
    }

    @Test
    void aMessageQuotesOnlyPlainValues() {
        assertThat(problems("{'carrier':'<script>','account':'demo','reference':'ABCDE'}"))
                .singleElement()
                .satisfies(
                        p -> assertThat(p.message()).doesNotContain("<script>").startsWith("unknown carrier;"));
    }
}
