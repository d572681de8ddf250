using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CodeChatter.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class LosslessRunOutput : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<byte[]>(
                name: "Stdout",
                table: "Executions",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<byte[]>(
                name: "Stderr",
                table: "Executions",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "TEXT");

            // The table rebuild copies old output as it is (TEXT values, cut at a NUL already); reading them
            // as bytes works either way, this only makes every stored value the same type.
            migrationBuilder.Sql("UPDATE Executions SET Stdout = CAST(Stdout AS BLOB), Stderr = CAST(Stderr AS BLOB);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "Stdout",
                table: "Executions",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<string>(
                name: "Stderr",
                table: "Executions",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");
        }
    }
}
