//

export * from '../models/ActionDecision.model';
export * from '../models/ActionResult.model';
export * from '../models/AllowedActions.model';
export * from '../models/CellDetail.model';
export * from '../models/CellDetailWorkload.model';
export * from '../models/ErrorError.model';
export * from '../models/ErrorRequest.model';
export * from '../models/ErrorResponse.model';
export * from '../models/LinkActions.model';
export * from '../models/ModelError.model';
export * from '../models/ObjectAction.model';
export * from '../models/ObjectDetails.model';
export * from '../models/ObjectDetailsHiddenFieldsInner.model';
export * from '../models/ObjectKind.model';
export * from '../models/ObjectRef.model';
export * from '../models/PromotionHistoryEntry.model';
export * from '../models/PromotionHistoryPage.model';
export * from '../models/PromotionOverview.model';
export * from '../models/PromotionViewSummary.model';
export * from '../models/ValuesComparison.model';
export * from '../models/ValuesSide.model';
