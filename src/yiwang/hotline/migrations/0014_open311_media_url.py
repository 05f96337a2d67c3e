# Open311 GeoReport v2: a ticket keeps the media_url it was sent with, its description may be empty
# (optional in the spec), and a category's last change dates the discovery document's changeset.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('hotline', '0013_citizen_web'),
    ]

    operations = [
        migrations.AddField(
            model_name='category',
            name='updated_at',
            field=models.DateTimeField(auto_now=True),
        ),
        migrations.AddField(
            model_name='ticket',
            name='media_url',
            field=models.URLField(blank=True, db_default='', default='', max_length=500, verbose_name='media URL'),
        ),
        migrations.AlterField(
            model_name='ticket',
            name='description',
            field=models.TextField(blank=True, verbose_name='description'),
        ),
    ]
