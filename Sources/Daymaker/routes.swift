import DaymakerCore
import Fluent
import SQLKit
import Vapor

func routes(_ app: Application) throws {
    app.get("healthz") { req async throws -> Response in
        try await req.db.sqlDatabase.raw("SELECT 1").run()
        let response = Response(status: .ok, body: .init(staticString: #"{"status":"ok"}"#))
        response.headers.contentType = .json
        return response
    }

    let api = app.grouped("api", "v1")
    api.get("openapi.json") { req async throws -> Response in
        let response = Response(status: .ok, body: .init(data: OpenAPIDocument.data))
        response.headers.contentType = .json
        return response
    }
    let authenticated = api.grouped(BearerAuthMiddleware())
    try authenticated.register(collection: ProgramController())
    try authenticated.register(collection: UserController())
    try authenticated.register(collection: CustomerController())
    try authenticated.register(collection: ContactController())
    try authenticated.register(collection: ContactEventController())
    try authenticated.register(collection: RecognitionController())
    try authenticated.register(collection: BookingController())
    try authenticated.register(collection: CareNoteController())
    try authenticated.register(collection: PresenceController())
    try authenticated.register(collection: OfferController())
    try authenticated.register(collection: RoutingSettingsController())
    try authenticated.register(collection: VocabularyController())
    try authenticated.register(collection: CallbackController())
    try authenticated.register(collection: CampaignController())
    try authenticated.register(collection: TwilioAccountController())
    try authenticated.register(collection: SMSWebhookController())
    try authenticated.register(collection: SupervisionController())
    try authenticated.register(collection: UserSkillsController())
    try authenticated.register(collection: IncidentController())
    try authenticated.register(collection: CallRecordController())
    try authenticated.register(collection: MomentController())
    try authenticated.register(collection: CollectionController())
    try authenticated.register(collection: ChallengeController())
    try authenticated.register(collection: SurveyController())
    try authenticated.register(collection: KudosController())
    try authenticated.register(collection: InsightsController())
    try app.grouped("telephony", "twilio").register(collection: TwilioController())
    try app.grouped("telephony", "generic-cti").register(collection: GenericCTIController())

    // Public, for customers: no session, no cookie. A survey's link is its only key (an unguessable single-use
    // token), so its form needs no CSRF cookie, which a phone's in-app browser may not keep.
    try app.register(collection: StatusController())
    try app.register(collection: SurveyPages())

    let pages = app.grouped(CSRFMiddleware())
    try pages.register(collection: SignInController())
    let signedIn = pages.grouped(SessionAuthMiddleware())
    try signedIn.register(collection: CustomerPages())
    try signedIn.register(collection: AdminPages())
    try signedIn.register(collection: DeskPages())
    DeskLive.register(signedIn)
    try signedIn.register(collection: RecognitionSettingsPages())
    try signedIn.register(collection: VocabularyPages())
    try signedIn.register(collection: SurveyRulesPages())
    try signedIn.register(collection: KudosPages())
    try signedIn.register(collection: InsightPages())
    try signedIn.register(collection: SupervisorPages())
    try signedIn.register(collection: IncidentPages())
    try signedIn.register(collection: CampaignPages())
    try signedIn.register(collection: MomentPages())
    try signedIn.register(collection: CollectionPages())
    try signedIn.register(collection: ChallengePages())
    signedIn.get { req in req.seeOther("/desk") }
}

/// The OpenAPI 3.1 document: written by hand as the source of truth and held against the routes by a test.
enum OpenAPIDocument {
    static let data: Data = {
        (try? Data(contentsOf: DaymakerAssets.url.appendingPathComponent("openapi.json"))) ?? Data("{}".utf8)
    }()
}
