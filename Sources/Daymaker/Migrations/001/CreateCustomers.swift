import Fluent

struct CreateCustomers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Customer.schema)
            .id()
            .field("program_id", .uuid, .required, .references(Program.schema, .id, onDelete: .restrict))
            .field("customer_number", .string, .required)
            .field("full_name", .string, .required)
            .field("preferred_name", .string)
            .field("search_name", .string, .required)
            .field("time_zone", .string)
            .field("notes", .string, .required)
            .field("preferred_rep_id", .uuid, .references(User.schema, .id, onDelete: .setNull))
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "program_id", "customer_number")
            .create()
        for (schema, valueColumn, valueType) in [
            (CustomerPhone.schema, "e164", DatabaseSchema.DataType.string),
            (CustomerEmail.schema, "address", .string),
            (CustomerHandle.schema, "handle", .string),
        ] {
            var builder = database.schema(schema)
                .id()
                .field("customer_id", .uuid, .required, .references(Customer.schema, .id, onDelete: .cascade))
                .field("program_id", .uuid, .required, .references(Program.schema, .id, onDelete: .restrict))
                .field(.string(valueColumn), valueType, .required)
                .field("position", .int, .required)
            if schema == CustomerPhone.schema { builder = builder.field("label", .string) }
            if schema == CustomerHandle.schema { builder = builder.field("network", .string, .required) }
            try await builder.create()
            try await database.createIndex(on: schema, columns: valueColumn, "program_id")
            try await database.createIndex(on: schema, columns: "customer_id")
        }
    }

    func revert(on database: any Database) async throws {
        for schema in [CustomerHandle.schema, CustomerEmail.schema, CustomerPhone.schema, Customer.schema] {
            try await database.schema(schema).delete()
        }
    }
}
