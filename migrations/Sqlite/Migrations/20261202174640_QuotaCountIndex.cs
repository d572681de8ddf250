using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CodeChatter.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class QuotaCountIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Executions_OwnerId_StartedAt",
                table: "Executions");

            migrationBuilder.CreateIndex(
                name: "IX_Executions_OwnerId_StartedAt_Status",
                table: "Executions",
                columns: new[] { "OwnerId", "StartedAt", "Status" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Executions_OwnerId_StartedAt_Status",
                table: "Executions");

            migrationBuilder.CreateIndex(
                name: "IX_Executions_OwnerId_StartedAt",
                table: "Executions",
                columns: new[] { "OwnerId", "StartedAt" });
        }
    }
}
