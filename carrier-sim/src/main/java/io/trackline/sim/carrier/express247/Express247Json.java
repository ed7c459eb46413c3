package io.trackline.sim.carrier.express247;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trackline.sim.Shipment;
import io.trackline.sim.Step;
import java.util.ArrayList;
import java.util.List;

/**
 * 247Express's tracking JSON with the document's response fields: {@code errorCode} and {@code errorMessage} null on
 * success; {@code statuses[]} and {@code trackings[]} oldest first; local times without offset (Asia/Ho_Chi_Minh).
 * The delay reason is shown only while the order is PENDING_FOR_PROCEED: a later status clears it, so a poller that
 * comes too late never sees it.
 */
public final class Express247Json {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private Express247Json() {}

    /** The answer, and the steps it shows (for the referee). */
    public record Rendered(ObjectNode body, List<Integer> shown) {}

    public static Rendered tracking(Shipment shipment) {
        Express247Order order = shipment.profile();
        List<Step> visible = shipment.visibleSteps();
        List<Integer> shown = new ArrayList<>();
        int lastStatus = -1;
        Integer delay = null;
        String pickedUp = null;
        String delivered = null;
        for (int i = 0; i < visible.size(); i++) {
            Step step = visible.get(i);
            if (step.field().equals(Express247Lifecycle.FIELD_DELAY)) {
                delay = i;
                continue;
            }
            shown.add(i);
            Express247Scan scan = (Express247Scan) step.detail();
            if (scan.statusChange()) {
                lastStatus = i;
                delay = null;
                if (step.code().equals("PICKED_UP") && pickedUp == null) {
                    pickedUp = Express247Lifecycle.LOCAL.format(step.at());
                }
                if (step.code().equals("DELIVERED")) {
                    delivered = Express247Lifecycle.LOCAL.format(step.at());
                }
            }
        }
        if (delay != null) {
            shown.add(delay);
        }
        Step current = visible.get(lastStatus);
        ObjectNode o = JSON.objectNode();
        o.putNull("errorCode");
        o.putNull("errorMessage");
        o.put("orderCode", order.orderCode());
        o.put("status", current.code());
        o.put("statusName", current.name());
        if (delay != null) {
            o.put("delayCode", Integer.parseInt(visible.get(delay).code()));
            o.put("delayNote", visible.get(delay).name());
        } else {
            o.putNull("delayCode");
            o.putNull("delayNote");
        }
        if (delivered != null) {
            o.put("deliveryNotes", "Giao cho người nhận");
            o.put("deliveryDate", delivered);
        } else {
            o.putNull("deliveryNotes");
            o.putNull("deliveryDate");
        }
        o.put("receiverName", order.receiverName());
        o.put("mailerTypeID", order.mailerTypeID());
        o.put("length", order.length());
        o.put("width", order.width());
        o.put("height", order.height());
        o.put("realWeight", order.realWeight());
        o.put("calWeight", order.calWeight());
        o.put("weight", order.weight());
        o.put("quantity", order.quantity());
        o.put("price", order.price());
        o.put("priceFR", 0);
        o.put("farRegionFeeAmount", order.farRegionFee());
        o.put("fuelFeeAmount", order.fuelFee());
        o.put("vatAmount", order.vat());
        o.put("totalServiceCost", order.total());
        ObjectNode service = o.putArray("priceInfo").addObject();
        service.put("serviceName", "Chuyển phát nhanh");
        service.put("serviceID", "CPN");
        service.put("cost", order.price());
        ArrayNode statuses = o.putArray("statuses");
        ArrayNode trackings = o.putArray("trackings");
        for (int i : shown) {
            Step step = visible.get(i);
            if (!step.field().equals(Express247Lifecycle.FIELD_STATUS)) {
                continue;
            }
            Express247Scan scan = (Express247Scan) step.detail();
            String time = Express247Lifecycle.LOCAL.format(step.at());
            if (scan.statusChange()) {
                ObjectNode entry = statuses.addObject();
                entry.put("time", time);
                entry.put("status", step.code());
                entry.put("statusName", step.name());
                entry.put("trackingName", scan.trackingName());
            }
            if (scan.office() != null) {
                ObjectNode entry = trackings.addObject();
                entry.put("statusID", step.code());
                entry.put("statusName", step.name());
                entry.put("postOfficeID", scan.office().id());
                entry.put("postOfficeName", scan.office().name());
                entry.put("provinceID", scan.office().provinceId());
                entry.put("provinceName", scan.office().provinceName());
                entry.put("dateChange", time);
                entry.put("notes", scan.notes());
            }
        }
        o.put("estimateRoutes", Express247Lifecycle.LOCAL.format(order.estimate()));
        if (delivered != null) {
            o.put("confirmImage", "https://tracking.247express.vn/images/confirm/" + order.orderCode() + ".jpg");
        } else {
            o.putNull("confirmImage");
        }
        if (pickedUp != null) {
            o.put("acceptDate", pickedUp);
        } else {
            o.putNull("acceptDate");
        }
        return new Rendered(o, shown);
    }

    /** An error answer (HTTP 200, as such APIs do): {@code errorCode}, {@code errorMessage}, the code asked for. */
    public static ObjectNode error(String code, String message, String orderCode) {
        ObjectNode o = JSON.objectNode();
        o.put("errorCode", code);
        o.put("errorMessage", message);
        if (orderCode == null) {
            o.putNull("orderCode");
        } else {
            o.put("orderCode", orderCode);
        }
        return o;
    }
}
