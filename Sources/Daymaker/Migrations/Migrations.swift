import Fluent
import SQLKit

extension Migrations {
    /// Every migration, in the order it shipped. Never reorder or rename one.
    func addDaymakerMigrations() {
        add(CreatePrograms())
        add(CreateUsers())
        add(CreateCustomers())
        add(CreateContacts())
        add(CreateAccess())
        add(CreateRecognition())
        add(CreateSignInFailures())
        add(CreateCustomerNotes())
        add(UpdateAPITokensAddExpiresAt())
        add(CreateContactEvents())
        add(CreatePresence())
        add(CreateOffers())
        add(UpdateContactsAddFromProblem())
        add(CreateRoutingSettings())
        add(CreateCallbacks())
        add(CreateOffersOpenExpiryIndex())
        add(CreateTwilioAccounts())
        add(UpdateUsersAddSkills())
        add(CreateRepMessages())
        add(UpdateContactsIndexHelpedBy())
        add(CreateIncidents())
        add(UpdateCallbacksAddIncident())
        add(CreateCallRecords())
        add(CreateCampaigns())
        add(CreateOutgoingMail())
        add(UpdateCallRecordsDropFromIndex())
        add(CreateMoments())
        add(CreateTrainingCollections())
        add(CreateChallenges())
        add(UpdateProgramsAddVocabulary())
        add(CreateSurveys())
        add(UpdateContactsAddWellbeing())
        add(CreateSMSWebhooks())
        add(CreateInsightRollups())
        add(CreateContactRootCauses())
        add(UpdateInsightMarksTaken())
        add(UpdateInsightsCountedByHour())
        add(UpdateCallRecordsCoveringIndex())
        add(CreateCustomersZoneIndex())
        add(CreateCallAttempts())
        add(UpdateInsightMarksPerStatement())
    }
}

extension Database {
    /// Creates a plain index named after its table and columns (both SQLite and PostgreSQL).
    func createIndex(on table: String, columns: String...) async throws {
        let builder = try sqlDatabase.create(index: "idx_\(table)_\(columns.joined(separator: "_"))").on(table)
        for column in columns { builder.column(column) }
        try await builder.run()
    }

    /// The same database seen through SQLKit, for the few queries Fluent cannot express.
    var sqlDatabase: any SQLDatabase {
        get throws {
            guard let sql = self as? any SQLDatabase else {
                throw InternalFault("Daymaker needs an SQL database.")
            }
            return sql
        }
    }
}
