using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CodeChatter.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Sessions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ExecutionCounter",
                table: "Executions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SessionEvent",
                table: "Executions",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "SessionGeneration",
                table: "Executions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "TypedInput",
                table: "Executions",
                type: "BLOB",
                nullable: false,
                defaultValue: new byte[0]);

            migrationBuilder.AddColumn<int>(
                name: "LastSessionGeneration",
                table: "Conversations",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "Mode",
                table: "Conversations",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                // Conversations from before sessions keep running as they always did: fresh. New ones get
                // the app's default (session), set by the app, not by the column.
                defaultValue: "fresh");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ExecutionCounter",
                table: "Executions");

            migrationBuilder.DropColumn(
                name: "SessionEvent",
                table: "Executions");

            migrationBuilder.DropColumn(
                name: "SessionGeneration",
                table: "Executions");

            migrationBuilder.DropColumn(
                name: "TypedInput",
                table: "Executions");

            migrationBuilder.DropColumn(
                name: "LastSessionGeneration",
                table: "Conversations");

            migrationBuilder.DropColumn(
                name: "Mode",
                table: "Conversations");
        }
    }
}
