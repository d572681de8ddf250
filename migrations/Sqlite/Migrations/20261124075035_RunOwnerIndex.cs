using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CodeChatter.Migrations.Sqlite.Migrations
{
    /// <summary>
    /// Copies each run's owner (its conversation's) onto the run, with an index on (OwnerId, StartedAt) for
    /// the runs page, and indexes snippets by (Language, ConversationId) for the languages a person has used.
    /// </summary>
    public partial class RunOwnerIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Snippets_Language",
                table: "Snippets");

            migrationBuilder.AddColumn<string>(
                name: "OwnerId",
                table: "Executions",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            // The runs stored so far take their conversation's owner.
            migrationBuilder.Sql(
                """
                UPDATE "Executions" SET "OwnerId" = (
                    SELECT "c"."OwnerId" FROM "Snippets" AS "s"
                    INNER JOIN "Conversations" AS "c" ON "c"."Id" = "s"."ConversationId"
                    WHERE "s"."Id" = "Executions"."SnippetId");
                """);

            migrationBuilder.CreateIndex(
                name: "IX_Snippets_Language_ConversationId",
                table: "Snippets",
                columns: new[] { "Language", "ConversationId" });

            migrationBuilder.CreateIndex(
                name: "IX_Executions_OwnerId_StartedAt",
                table: "Executions",
                columns: new[] { "OwnerId", "StartedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Snippets_Language_ConversationId",
                table: "Snippets");

            migrationBuilder.DropIndex(
                name: "IX_Executions_OwnerId_StartedAt",
                table: "Executions");

            migrationBuilder.DropColumn(
                name: "OwnerId",
                table: "Executions");

            migrationBuilder.CreateIndex(
                name: "IX_Snippets_Language",
                table: "Snippets",
                column: "Language");
        }
    }
}
