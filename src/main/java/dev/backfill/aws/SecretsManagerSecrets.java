package dev.backfill.aws;

import dev.backfill.RetryableException;
import dev.backfill.job.Secrets;
import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * {@link Secrets} from AWS Secrets Manager ({@code GetSecretValue}, string secrets). The client is made on the first
 * read: most deployments never read a secret, and none is read before a window runs.
 */
public final class SecretsManagerSecrets implements Secrets {

    private final Supplier<SecretsManagerClient> clients;
    private volatile SecretsManagerClient client;

    public SecretsManagerSecrets(Supplier<SecretsManagerClient> clients) {
        this.clients = Objects.requireNonNull(clients, "clients");
    }

    @Override
    public String value(String id) {
        try {
            String value = client().getSecretValue(request -> request.secretId(id)).secretString();
            if (value == null) {
                throw new IllegalStateException("Secret " + id + " holds binary data, not a string");
            }
            return value;
        } catch (ResourceNotFoundException e) {
            throw new IllegalStateException("Secret " + id + " does not exist", e);
        } catch (SecretsManagerException e) {
            if (e.statusCode() == 400 || e.statusCode() == 403) {
                // AccessDenied, DecryptionFailure, InvalidRequest: retrying cannot help.
                throw new IllegalStateException("Cannot read secret " + id + ": " + e.awsErrorDetails().errorCode(),
                        e);
            }
            throw new RetryableException("Cannot read secret " + id + " now: HTTP " + e.statusCode(), e);
        } catch (SdkException e) {
            throw new RetryableException("Cannot read secret " + id + " now: " + e.getClass().getSimpleName(), e);
        }
    }

    private SecretsManagerClient client() {
        SecretsManagerClient made = client;
        if (made == null) {
            synchronized (this) {
                made = client;
                if (made == null) {
                    made = clients.get();
                    client = made;
                }
            }
        }
        return made;
    }
}
