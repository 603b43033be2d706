package com.koreapublicdata.pipeline.config;

import java.util.List;

/** An Argo Rollouts blue-green strategy. */
public record BlueGreenSettings(
        @Doc(value = "Service that receives production traffic.", defaultValue = "{workload}-active") String activeService,
        @Doc(value = "Service that reaches the new version before promotion.", defaultValue = "{workload}-preview")
                String previewService,
        @Doc(value = "Promote without waiting for a person (Argo's autoPromotionEnabled).", defaultValue = "false")
                Boolean autoPromotion,
        @Doc(value = "Seconds the old version keeps running after promotion, for a fast switch back.",
                defaultValue = "30") Integer scaleDownDelaySeconds,
        @Doc("AnalysisTemplate names run against the preview before promotion.") List<String> prePromotionAnalysis,
        @Doc("AnalysisTemplate names run against the active service after promotion.") List<String> postPromotionAnalysis) {

    public BlueGreenSettings {
        autoPromotion = autoPromotion != null && autoPromotion;
        scaleDownDelaySeconds = scaleDownDelaySeconds == null ? 30 : scaleDownDelaySeconds;
        prePromotionAnalysis = prePromotionAnalysis == null ? List.of() : List.copyOf(prePromotionAnalysis);
        postPromotionAnalysis = postPromotionAnalysis == null ? List.of() : List.copyOf(postPromotionAnalysis);
    }

    public static BlueGreenSettings defaults() {
        return new BlueGreenSettings(null, null, null, null, null, null);
    }
}
