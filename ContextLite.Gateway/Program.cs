using ContextLite.Gateway.Diagnostics;
using ContextLite.Gateway.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(GatewayTelemetry.MeterName);
builder.AddGatewayServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapGatewayEndpoints();
app.Run();
