package io.trackline.pollers.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.trackline.events.Carrier;
import io.trackline.events.ShipmentIds;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads and checks the body of {@code POST /api/v1/subscriptions}: one JSON object, or an array of at most
 * {@value #MAX_BATCH}. Every item is checked against the carrier's documented reference format and the configured
 * accounts, and a request with any problem is refused whole, listing every problem with its index: nothing of it is
 * stored, published or polled. Fields other than {@code carrier}, {@code account}, {@code reference} and
 * {@code customer_id} are ignored.
 *
 * <ul>
 * <li>247Express order codes: 5 to 20 letters, digits, {@code _} and {@code -} (its error codes
 * ORDERCODE_MIN_LENGTH, ORDERCODE_MAX_LENGTH, ORDERCODE_FORMAT_EXCEPTION), so no look-up is spent on a code the
 * carrier would refuse;</li>
 * <li>MrSpeedy order ids: positive integers (the document's {@code order_id integer}), as a JSON number or its
 * digits, written without leading zeros so that the shipment id is the one its callbacks carry;</li>
 * <li>all24 tracking numbers (its own, or a third party's with {@code customer_id}, the document's "Third Party
 * Tracking Number" form): {@value #ALL24_MIN} to {@value #ALL24_MAX} letters, digits, {@code _}, {@code -} or
 * {@code .}. {@code customer_id} belongs to that form only, so it is refused for the other carriers.</li>
 * </ul>
 * A reference is taken without the white space around it, as {@link io.trackline.events.Subscription} keeps it.
 */
public final class SubscriptionRequests {

    /** The most subscriptions one request may hold. */
    public static final int MAX_BATCH = 1000;

    static final int ALL24_MIN = 4;
    static final int ALL24_MAX = 40;
    static final int CUSTOMER_ID_MAX = 64;
    private static final Pattern ALL24_NUMBER = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern ORDER_CODE_CHARACTERS = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern ORDER_ID = Pattern.compile("[1-9][0-9]*");
    private static final Pattern CUSTOMER_ID = Pattern.compile("[A-Za-z0-9_-]{1," + CUSTOMER_ID_MAX + "}");
    private static final BigInteger MAX_ORDER_ID = BigInteger.valueOf(Long.MAX_VALUE);
    /** Only such values are quoted back in a message; anything else could be what the caller hid in it. */
    private static final Pattern QUOTABLE = Pattern.compile("[A-Za-z0-9_.-]{1,40}");

    /** One item, checked: what a subscription is made of. */
    public record Item(Carrier carrier, String account, String reference, String customerId) {

        public String shipmentId() {
            return ShipmentIds.of(carrier, account, reference);
        }
    }

    private SubscriptionRequests() {}

    /**
     * The items of a request body, in order; identical items are kept (subscribing twice is harmless).
     *
     * @param body     the request's JSON
     * @param accounts the configured accounts
     * @throws InvalidSubscriptionsException with every problem of the request
     */
    public static List<Item> parse(JsonNode body, ConfiguredAccounts accounts) {
        if (body == null || body.isMissingNode() || body.isNull()) {
            throw refused("no subscription in the request body", List.of());
        }
        boolean batch = body.isArray();
        if (!batch && !body.isObject()) {
            throw refused("the body must be a subscription object or an array of them", List.of());
        }
        if (batch && body.isEmpty()) {
            throw refused("the array holds no subscription", List.of());
        }
        if (batch && body.size() > MAX_BATCH) {
            throw new InvalidSubscriptionsException(
                    "too_many_subscriptions",
                    "a request holds at most " + MAX_BATCH + " subscriptions; this one has " + body.size(),
                    List.of());
        }
        List<Item> items = new ArrayList<>(batch ? body.size() : 1);
        List<SubscriptionProblem> problems = new ArrayList<>();
        Map<String, Integer> firstIndex = new HashMap<>();
        Map<String, Item> firstItem = new HashMap<>();
        for (int i = 0; i < (batch ? body.size() : 1); i++) {
            JsonNode node = batch ? body.get(i) : body;
            Integer index = batch ? i : null;
            Item item = item(node, index, accounts, problems);
            if (item == null) {
                continue;
            }
            Integer earlier = firstIndex.putIfAbsent(item.shipmentId(), i);
            Item first = firstItem.putIfAbsent(item.shipmentId(), item);
            if (earlier != null && !Objects.equals(first.customerId(), item.customerId())) {
                problems.add(new SubscriptionProblem(
                        index,
                        "customer_id",
                        "the same shipment as item " + earlier + " with another customer_id: send one of them"));
            }
            items.add(item);
        }
        if (!problems.isEmpty()) {
            throw refused(
                    problems.size() == 1
                            ? "1 problem; nothing was subscribed"
                            : problems.size() + " problems; nothing was subscribed",
                    problems);
        }
        return items;
    }

    /** The item at {@code index}, or null after adding its problems (all of them, not only the first). */
    private static Item item(JsonNode node, Integer index, ConfiguredAccounts accounts, List<SubscriptionProblem> out) {
        if (node == null || !node.isObject()) {
            out.add(new SubscriptionProblem(index, null, "a subscription must be a JSON object"));
            return null;
        }
        int before = out.size();
        Carrier carrier = null;
        String carrierText = text(node, "carrier", index, out, false);
        if (carrierText != null) {
            carrier = Carrier.find(carrierText).orElse(null);
            if (carrier == null) {
                out.add(new SubscriptionProblem(
                        index,
                        "carrier",
                        "unknown carrier" + quoted(carrierText) + "; one of " + Arrays.toString(Carrier.values())));
            }
        }
        String account = text(node, "account", index, out, false);
        if (account != null) {
            if (!ShipmentIds.ACCOUNT.matcher(account).matches()) {
                out.add(new SubscriptionProblem(
                        index,
                        "account",
                        "an account name is 1 to 64 letters, digits, _ and -, starting with a letter or digit"));
            } else if (carrier != null && !accounts.has(carrier, account)) {
                out.add(new SubscriptionProblem(
                        index,
                        "account",
                        "account" + quoted(account) + " is not configured for " + carrier
                                + " (trackline.pollers." + carrier + ".accounts.<name>); configured: "
                                + accounts.of(carrier)));
            }
        }
        String reference = text(node, "reference", index, out, carrier == Carrier.MRSPEEDY);
        String customerId = optionalText(node, "customer_id", index, out);
        if (reference != null && carrier != null) {
            reference(carrier, reference, customerId != null)
                    .ifPresent(problem -> out.add(new SubscriptionProblem(index, "reference", problem)));
            if (carrier == Carrier.MRSPEEDY && ORDER_ID.matcher(reference).matches()) {
                reference = new BigInteger(reference).toString();
            }
        }
        if (customerId != null && carrier != null) {
            if (carrier != Carrier.ALL24) {
                out.add(new SubscriptionProblem(
                        index,
                        "customer_id",
                        "customer_id belongs to all24 third-party tracking numbers only, not to " + carrier));
            } else if (!CUSTOMER_ID.matcher(customerId).matches()) {
                out.add(new SubscriptionProblem(
                        index,
                        "customer_id",
                        "an all24 customer_id is 1 to " + CUSTOMER_ID_MAX + " letters, digits, _ and -"));
            }
        }
        if (out.size() > before) {
            return null;
        }
        return new Item(carrier, account, reference, customerId);
    }

    /** What is wrong with a carrier's reference, if anything. */
    static Optional<String> reference(Carrier carrier, String reference, boolean thirdParty) {
        return Optional.ofNullable(
                switch (carrier) {
                    case EXPRESS247 -> orderCode(reference);
                    case MRSPEEDY -> orderId(reference);
                    case ALL24 -> all24Number(reference, thirdParty);
                });
    }

    private static String orderCode(String code) {
        if (code.length() < 5) {
            return "a 247Express order code has at least 5 characters (ORDERCODE_MIN_LENGTH)";
        }
        if (code.length() > 20) {
            return "a 247Express order code has at most 20 characters (ORDERCODE_MAX_LENGTH)";
        }
        if (!ORDER_CODE_CHARACTERS.matcher(code).matches()) {
            return "a 247Express order code holds letters, digits, _ and - only (ORDERCODE_FORMAT_EXCEPTION)";
        }
        return null;
    }

    private static String orderId(String id) {
        if (!ORDER_ID.matcher(id).matches() || new BigInteger(id).compareTo(MAX_ORDER_ID) > 0) {
            return "a MrSpeedy order id is a positive integer (e.g. 1250032), without leading zeros";
        }
        return null;
    }

    private static String all24Number(String number, boolean thirdParty) {
        String what = thirdParty ? "a third party's tracking number" : "an all24 tracking number";
        if (number.length() < ALL24_MIN || number.length() > ALL24_MAX) {
            return what + " has " + ALL24_MIN + " to " + ALL24_MAX + " characters";
        }
        if (!ALL24_NUMBER.matcher(number).matches()) {
            return what + " holds letters, digits, _, - and . only";
        }
        return null;
    }

    /**
     * A required text field, stripped; null after adding its problem. {@code numberAllowed}: a JSON integer is read
     * as its digits (MrSpeedy's order ids are integers in its own JSON).
     */
    private static String text(
            JsonNode node, String field, Integer index, List<SubscriptionProblem> out, boolean numberAllowed) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            out.add(new SubscriptionProblem(index, field, "'" + field + "' is required"));
            return null;
        }
        if (numberAllowed && value.isIntegralNumber()) {
            return value.bigIntegerValue().toString();
        }
        if (!value.isTextual()) {
            out.add(new SubscriptionProblem(index, field, "'" + field + "' must be a string"));
            return null;
        }
        String text = value.textValue().strip();
        if (text.isEmpty()) {
            out.add(new SubscriptionProblem(index, field, "'" + field + "' is empty"));
            return null;
        }
        return text;
    }

    /** An optional text field, stripped; absent, null or empty is none. */
    private static String optionalText(JsonNode node, String field, Integer index, List<SubscriptionProblem> out) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isIntegralNumber()) {
            return value.bigIntegerValue().toString(); // all24's example: customer_id=12345
        }
        if (!value.isTextual()) {
            out.add(new SubscriptionProblem(index, field, "'" + field + "' must be a string"));
            return null;
        }
        String text = value.textValue().strip();
        return text.isEmpty() ? null : text;
    }

    private static String quoted(String value) {
        return QUOTABLE.matcher(value).matches() ? " '" + value + "'" : "";
    }

    private static InvalidSubscriptionsException refused(String message, List<SubscriptionProblem> problems) {
        return new InvalidSubscriptionsException("invalid_subscription", message, problems);
    }
}
