package io.trackline.events;

/** Names of the references a canonical event may carry in {@link CanonicalEvent#references()}. */
public final class ReferenceKeys {

    public static final String ALL24_TRACKING_NUMBER = "all24TrackingNumber";
    public static final String ALL24_ORDER_REF_ID = "all24OrderRefId";
    public static final String THIRD_PARTY_TRACKING_NUMBER = "thirdPartyTrackingNumber";
    public static final String EXPRESS247_ORDER_CODE = "express247OrderCode";
    public static final String MRSPEEDY_ORDER_ID = "mrspeedyOrderId";
    public static final String MRSPEEDY_ORDER_NAME = "mrspeedyOrderName";
    public static final String MRSPEEDY_CLIENT_ORDER_ID = "mrspeedyClientOrderId";

    private ReferenceKeys() {}
}
